"""Several HTML documents rendered as one PDF, then cut back per document (plain Python, lxml)."""

import lxml.html

MARKER_STYLE = "position: absolute; font-family: 'DejaVu Sans', sans-serif; font-size: 4px; color: #ffffff;"


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
