"""Several HTML documents rendered as one PDF, then cut back per document (plain Python, lxml)."""

import re

import lxml.html

MARKER_STYLE = "position: absolute; font-family: 'DejaVu Sans', sans-serif; font-size: 4px; color: #ffffff;"
# the PDF name (/BaseFont, without a subset prefix) of the font the markers are printed in
MARKER_FONT = "DejaVuSans"


def merge_html_bodies(bodies, markers=None):
    """One HTML document holding every body, each starting on a new page.

    ``markers``: a text per body, printed invisibly (white, tiny, out of the flow) at its start, so
    that the first page of each body can be found again in the PDF.
    """
    root = lxml.html.document_fromstring(str(bodies[0]))
    body = root.find("body")
    children = list(body)
    for child in children:
        body.remove(child)
    for index, html in enumerate(bodies):
        source = root if index == 0 else lxml.html.document_fromstring(str(html))
        page = lxml.html.Element("div", {"class": "sysengage_pdf_batch_page"})
        if index:
            page.set("style", "page-break-before: always;")
        if markers:
            marker = lxml.html.Element("span", {"class": "sysengage_pdf_batch_marker", "style": MARKER_STYLE})
            marker.text = markers[index]
            page.append(marker)
        for child in children if index == 0 else list(source.find("body")):
            page.append(child)
        body.append(page)
    return "<!DOCTYPE html>" + lxml.html.tostring(root, encoding="unicode")


# A text object of a page content stream: BT ... ET (the operators standing alone: see text_objects). The pattern
# starts with its literal, which the regular expression engine finds fast in a long stream.
_TEXT_OBJECT = re.compile(rb"BT\s.*?\sET(?![^\s\[(</])", re.DOTALL)
_TEXT_END = re.compile(rb"\sET(?![^\s\[(</])")
_FONT = re.compile(rb"/[^\s/\[\]()<>{}%]+\s+[-+.\d]+\s+Tf")
_BEFORE_OPERATOR = frozenset(b" \t\r\n\f\x00])>")
_SHOW_TEXT = re.compile(rb"T[jJ]\b|['\"]")


def text_objects(content, fonts=None):
    """The part of a decoded page content stream that text extraction reads: its text objects (``BT`` ...
    ``ET``), in order, each after the font selected before it outside a text object (``Tf`` may stand
    there too). wkhtmltopdf draws a styled report's web fonts as shapes, so its pages are hundreds of
    kilobytes of paths around a few text objects: parsing the whole stream costs a fifth of a second per
    page, finding these a millisecond.

    ``fonts``: resource names (``b"/F7"``); when given, only the text objects that show text in one of these
    fonts are kept (a page printed with real fonts draws each glyph in its own text-showing operator: reading
    the text of every other font costs tens of milliseconds per page)."""
    parts = []
    position = previous_end = 0
    current_font = None
    while match := _TEXT_OBJECT.search(content, position):
        start = match.start()
        if start and content[start - 1] not in _BEFORE_OPERATOR:
            position = start + 1  # "BT" inside a name or a number, not the operator
            continue
        end = match.end()
        while _opens_string(content[start:end]):
            # "ET" inside a string shown by the text object: its end is further
            following = _TEXT_END.search(content, end)
            if not following:
                break
            end = following.end()
        font_end = content.rfind(b"Tf", previous_end, start)
        font = None
        if font_end != -1:
            font_start = content.rfind(b"/", previous_end, font_end)
            font = _FONT.fullmatch(content, font_start, font_end + 2) if font_start != -1 else None
        if fonts is None:
            if font:
                parts.append(font.group())
            parts.append(content[start:end])
        else:
            if font:
                current_font = font.group().split()[0]
            # the fonts this object shows text in: each it selects itself, and the one selected before it when
            # text is shown before the object's first selection
            selections = list(_FONT.finditer(content, start, end))
            shown_before = not selections or _SHOW_TEXT.search(content, start, selections[0].start())
            used = {current_font} if shown_before else set()
            used.update(selection.group().split()[0] for selection in selections)
            if selections:
                current_font = selections[-1].group().split()[0]
            if used & fonts:
                parts.append(content[start:end])
        position = previous_end = end
    return b"\n".join(parts)


def _opens_string(block):
    """Whether ``block`` ends inside a literal string (more "(" than ")", escaped ones aside)."""
    return block.count(b"(") - block.count(b"\\(") > block.count(b")") - block.count(b"\\)")


def squeeze(text):
    """``text`` without any white space (PDF text extraction splits words at will)."""
    return "".join((text or "").split())


def find_document_starts(page_texts, markers):
    """The first page of each document in a PDF made of several documents in a row: document ``i``
    starts on the first page after document ``i - 1``'s start whose text holds ``markers[i]``.
    Returns None when a marker is missing (the split could not be trusted)."""
    if not markers or not markers[0] or squeeze(markers[0]) not in page_texts[0]:
        return None
    # each marker printed once, and nowhere else than where it is expected
    if any(sum(squeeze(marker) in text for text in page_texts) != 1 for marker in markers):
        return None
    starts = [0]
    for marker in markers[1:]:
        marker = squeeze(marker)
        start = next(
            (page for page in range(starts[-1] + 1, len(page_texts)) if marker and marker in page_texts[page]), None
        )
        if start is None:
            return None
        starts.append(start)
    return starts
