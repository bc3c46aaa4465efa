from sysengage_ged_tools.filetype import content_matches_name, extension_of


def test_extension_of():
    assert extension_of("Report.Final.PDF") == "pdf"
    assert extension_of("README") == ""


def test_matching_types_accepted():
    assert content_matches_name("application/pdf", "offer.pdf")
    assert content_matches_name("image/jpeg", "site.JPG")
    assert content_matches_name("text/plain", "notes.txt")
    assert content_matches_name("application/zip", "sheet.xlsx")
    assert content_matches_name("message/rfc822", "mail.eml")


def test_mismatch_rejected():
    assert not content_matches_name("application/x-dosexec", "invoice.pdf")
    assert not content_matches_name("image/png", "invoice.pdf")
    assert not content_matches_name("application/pdf", "photo.jpg")
    assert not content_matches_name("text/plain", "contract.docx")


def test_unknown_extension_accepted():
    assert content_matches_name("application/octet-stream", "drawing.dwg")
