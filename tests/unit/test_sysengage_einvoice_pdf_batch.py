import lxml.html
from sysengage_einvoice_tools.pdf_batch import find_document_starts, merge_html_bodies, squeeze


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
