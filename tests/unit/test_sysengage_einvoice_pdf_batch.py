import lxml.html
from sysengage_einvoice_tools.pdf_batch import find_document_starts, merge_html_bodies, squeeze, text_objects


def _body(text):
    return f"<!DOCTYPE html><html><head><title>t</title></head><body><div><p>{text}</p></div></body></html>"


def test_merge_keeps_every_body_on_its_own_page_with_its_marker():
    html = merge_html_bodies([_body("first"), _body("second"), _body("third")], ["m0", "m1", "m2"])
    pages = lxml.html.document_fromstring(html).xpath("//div[@class='sysengage_pdf_batch_page']")
    assert [page.text_content() for page in pages] == ["m0first", "m1second", "m2third"]
    assert "page-break-before" not in (pages[0].get("style") or "")
    assert all("page-break-before: always" in page.get("style") for page in pages[1:])
    assert html.count("<head>") == 1


def test_starts_follow_the_markers():
    texts = [squeeze(t) for t in ("m0 Invoice A", "A page 2", "m1 Invoice B", "m2 C", "C page 2", "C page 3")]
    assert find_document_starts(texts, ["m0", "m1", "m2"]) == [0, 2, 3]


def test_split_refused_when_a_marker_is_missing_or_repeated():
    assert find_document_starts(["m0", "x", "m2"], ["m0", "m1", "m2"]) is None
    assert find_document_starts(["x", "m1"], ["m0", "m1"]) is None
    # a marker found twice (or on another document's page) cannot be trusted
    assert find_document_starts(["m0", "m1", "m1"], ["m0", "m1"]) is None


def test_squeeze_removes_extraction_spacing():
    assert squeeze("sgpdf ab12\n n 0001") == "sgpdfab12n0001"


# a page of a styled report as wkhtmltopdf writes it: paths (the web fonts drawn as shapes) around the text
_PATHS = b"q 0.72 0 0 0.72 0 0 cm 816 268 174 1 re f Q\n0 0 m 743.4 0 l 743.4 753.4 l h W* n\n" * 200


def test_text_objects_keep_only_the_text_with_its_font():
    content = (
        _PATHS + b"/F7 4 Tf\nBT\n1 0 0 -1 0 0 Tm\n41.5 -4 Td <0001> Tj\nET\n" + _PATHS + b"BT /F8 9 Tf (Invoice) Tj ET"
    )
    assert text_objects(content) == (
        b"/F7 4 Tf\nBT\n1 0 0 -1 0 0 Tm\n41.5 -4 Td <0001> Tj\nET\nBT /F8 9 Tf (Invoice) Tj ET"
    )


def test_text_objects_are_operators_not_parts_of_names_or_strings():
    # "BT" inside a name, "ET" inside a shown string: neither opens nor closes a text object
    content = b"/FBT 1 gs\nBT /F1 9 Tf (MARKET ET END) Tj (x\\) ET) Tj ET\n1 0 0 1 0 0 cm"
    assert text_objects(content) == b"BT /F1 9 Tf (MARKET ET END) Tj (x\\) ET) Tj ET"
    assert text_objects(_PATHS) == b""


def test_text_objects_of_some_fonts_only():
    # a page printed with real fonts: the body's glyphs in /F7 and /F8, the marker in /F21; the font a text
    # object selects stays selected for the next ones
    body = b"BT\n/F7 12 Tf 1 0 0 -1 0 0 Tm\n390 -478 Td <0001> Tj\nET\n"
    marker = b"BT\n/F21 4 Tf 1 0 0 -1 0 0 Tm\n2 -4 Td <0031> Tj\nET\n"
    after_marker = b"BT\n1 0 0 -1 0 0 Tm\n9 -4 Td <0032> Tj\nET\n"
    bold = b"BT /F8 9 Tf (Total) Tj ET\n"
    content = body + _PATHS + marker + after_marker + bold + body
    assert text_objects(content, {b"/F21"}) == marker.rstrip() + b"\n" + after_marker.rstrip()
    assert text_objects(content, {b"/F8"}) == bold.rstrip()
    assert text_objects(content, set()) == b""
    # a font selected outside any text object counts for the objects after it
    assert text_objects(b"/F21 4 Tf\n" + after_marker + body, {b"/F21"}) == after_marker.rstrip()
    # without fonts, every text object is kept, as before
    assert text_objects(content).count(b"BT") == 5
