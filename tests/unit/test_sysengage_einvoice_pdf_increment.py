"""A revision appended to a PDF: the file before kept byte for byte, the new objects found by readers."""

import io
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import NameObject
from sysengage_einvoice_tools.pdf_increment import append_revision, has_xref_table, last_xref_offset


def _pdf(objects):
    """A PDF of ``objects`` (bodies; object n is objects[n - 1]) with a cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n\r\n" % offset
    out += b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


ONE_PAGE = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    b"<< /Length 0 >>\nstream\n\nendstream",
]


def test_the_file_before_is_kept_and_the_new_objects_read():
    content = _pdf(ONE_PAGE)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Sysengage 5 0 R >>"
    result = append_revision(content, {(3, 0): page, (5, 0): b"(appended)"}, 5, b"/Root 1 0 R")
    assert result.startswith(content)
    reader = PdfReader(io.BytesIO(result), strict=True)
    assert len(reader.pages) == 1
    assert reader.pages[0][NameObject("/Sysengage")] == "appended"
    assert reader.trailer["/Size"] == 6
    assert reader.trailer["/Prev"] == last_xref_offset(content)


def test_cross_reference_section_points_at_each_object():
    content = _pdf(ONE_PAGE)
    objects = {(3, 0): b"<< /Type /Page /Parent 2 0 R >>", (5, 0): b"1", (6, 0): b"2", (9, 0): b"3"}
    result = append_revision(content, objects, 5, b"/Root 1 0 R")
    table = result[last_xref_offset(result) :]
    # the head of the free list, then one subsection per run of numbers: 3, 5-6, 9
    assert table.startswith(b"xref\n0 1\n0000000000 65535 f\r\n3 1\n")
    assert b"\n5 2\n" in table and b"\n9 1\n" in table
    entries = {}
    for first, count, rows in re.findall(rb"^(\d+) (\d+)\n((?:\d{10} \d{5} [nf]\r\n)+)", table, re.M):
        for index, row in enumerate(re.findall(rb"\d{10} \d{5} [nf]\r\n", rows)):
            entries[int(first) + index] = row
        assert len(rows) == 20 * int(count)
    assert sorted(entries) == [0, 3, 5, 6, 9]
    for number in (3, 5, 6, 9):
        assert result[int(entries[number][:10]) :].startswith(b"%d 0 obj\n" % number)
    assert re.search(rb"/Size 10 /Prev \d+ >>\nstartxref\n\d+\n%%EOF\n$", result)


def test_two_revisions_in_a_row():
    content = _pdf(ONE_PAGE)
    first = append_revision(content, {(5, 0): b"(first)"}, 5, b"/Root 1 0 R")
    second = append_revision(first, {(5, 0): b"(second)", (6, 0): b"(more)"}, 6, b"/Root 1 0 R")
    assert second.startswith(first)
    reader = PdfReader(io.BytesIO(second), strict=True)
    assert reader.get_object(5) == "second"
    assert reader.get_object(6) == "more"
    assert reader.trailer["/Prev"] == last_xref_offset(first)


def test_nothing_to_append():
    content = _pdf(ONE_PAGE)
    assert append_revision(content, {}, 5, b"/Root 1 0 R") is content


def test_xref_stream_or_no_end_is_not_a_table():
    assert has_xref_table(_pdf(ONE_PAGE))
    stream_indexed = b"%PDF-1.5\n1 0 obj\n<< /Type /XRef /Size 2 >>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n"
    assert not has_xref_table(stream_indexed)
    assert not has_xref_table(b"%PDF-1.4\nno end")
    with pytest.raises(ValueError):
        last_xref_offset(b"%PDF-1.4\nno end")
