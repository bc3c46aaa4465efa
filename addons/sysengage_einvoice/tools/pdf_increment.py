"""A revision appended to a PDF (ISO 32000-1, 7.5.6, incremental update): objects added or replaced
after the file's end, with their own cross-reference section and a trailer pointing to the previous
one, so that the file before it is kept byte for byte and nothing of it is parsed or written again
(plain Python).

Only files whose last cross-reference is a table (``xref``, as wkhtmltopdf and Odoo's PDF writer
write them) get a table appended here: a file indexed by a cross-reference stream is left to a full
writer (``has_xref_table`` says which).
"""

import re

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
# the end of a file is searched in its last bytes only (a trailer and its startxref are short)
_TAIL = 2048


def last_xref_offset(content):
    """The offset of the last cross-reference section of ``content`` (its ``startxref``)."""
    match = _STARTXREF.search(content[-_TAIL:])
    if not match:
        raise ValueError("No startxref at the end of the PDF.")
    return int(match.group(1))


def has_xref_table(content):
    """Whether the last cross-reference section of ``content`` is a table (``xref``), after which a
    revision with a table can be appended."""
    try:
        offset = last_xref_offset(content)
    except ValueError:
        return False
    return content[offset : offset + 4] == b"xref"


def append_revision(content, objects, size, trailer):
    """``content`` followed by a revision holding ``objects``.

    :param objects: ``{(number, generation): body}``, ``body`` the bytes of the object (what is written
        between ``n g obj`` and ``endobj``); a number the file already holds replaces that object
    :param size: the ``/Size`` of the file before (one more than its highest object number)
    :param trailer: the bytes of the trailer's other entries (``/Root``, ``/Info``, ``/ID``), written
        before ``/Size`` and ``/Prev``, which are added here
    """
    if not objects:
        return content
    previous = last_xref_offset(content)
    out = bytearray(content)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for (number, generation), body in sorted(objects.items()):
        offsets[number] = (len(out), generation)
        out += b"%d %d obj\n" % (number, generation)
        out += body
        out += b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    # each section starts with object 0, the head of the free objects' list, as writers of incremental
    # updates write it (readers may take a table that starts elsewhere for a damaged one)
    numbers = [0, *sorted(offsets)]
    offsets[0] = None
    start = 0
    while start < len(numbers):
        end = start
        while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
            end += 1
        out += b"%d %d\n" % (numbers[start], end - start + 1)
        for number in numbers[start : end + 1]:
            if offsets[number] is None:
                out += b"0000000000 65535 f\r\n"
            else:
                out += b"%010d %05d n\r\n" % offsets[number]
        start = end + 1
    size = max(size, numbers[-1] + 1)
    out += b"trailer\n<< " + trailer + b" /Size %d /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, previous, xref)
    return bytes(out)
