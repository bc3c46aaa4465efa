"""Plain-Python tests of the address import helpers (reading, normalising, keys, matching, diffing)."""

import io
import zipfile

import openpyxl
import pytest
import xlwt
from sysengage_base_tools.address_import import (
    AddressImportError,
    build_index,
    check_mapping,
    clean_row,
    compact_uid,
    decode_text,
    detect_file_type,
    diff_values,
    extract_rows,
    guess_mapping,
    match_keys,
    match_row,
    name_key,
    normalise_name,
    normalise_street,
    normalise_zip,
    read_table,
    reason_text,
    rows_to_csv,
    sniff_delimiter,
    validate_uid,
)

UID = "CHE-100.000.006"
CSV_TEXT = "Firma;UID;Ort\r\nMüller AG;CHE-100.000.006;Zürich\r\nDupré Sàrl;;Genève\r\n"


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls_bytes(rows):
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- reading
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "windows-1252", "utf-16"])
def test_read_csv_encodings_auto(encoding):
    headers, rows = read_table(CSV_TEXT.encode(encoding))
    assert headers == ["Firma", "UID", "Ort"]
    assert rows == [["Müller AG", UID, "Zürich"], ["Dupré Sàrl", "", "Genève"]]


def test_read_csv_declared_encoding_wrong():
    with pytest.raises(AddressImportError) as info:
        read_table(CSV_TEXT.encode("windows-1252"), encoding="utf-8")
    assert info.value.code == "wrong_encoding"
    assert info.value.params["line"] == 2


def test_read_csv_utf8_declared_as_windows_1252_detected():
    with pytest.raises(AddressImportError) as info:
        read_table(CSV_TEXT.encode("utf-8"), encoding="windows-1252")
    assert info.value.code == "mojibake"


def test_auto_refuses_undefined_windows_1252_bytes():
    with pytest.raises(AddressImportError) as info:
        decode_text(b"Name\r\nA\x81B\r\n")
    assert info.value.code == "wrong_encoding"


def test_read_xlsx_and_xls():
    rows = [["Firma", "PLZ"], ["Müller AG", 8001], ["Dupré", "1204"]]
    for content in (xlsx_bytes(rows), xls_bytes(rows)):
        headers, data = read_table(content)
        assert headers == ["Firma", "PLZ"]
        assert data == [["Müller AG", "8001"], ["Dupré", "1204"]]


def test_detect_file_type():
    assert detect_file_type(xlsx_bytes([["a"]])) == "xlsx"
    assert detect_file_type(xls_bytes([["a"]])) == "xls"
    assert detect_file_type(b"a;b\n") == "csv"


@pytest.mark.parametrize(
    "content, code",
    [
        (b"", "empty_file"),
        (b"  \n\n", "empty_file"),
        (b";;\n;;\n", "empty_file"),
        (b"Firma;Ort\n", "no_rows"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 20, "not_spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "bad_xls"),
    ],
)
def test_bad_files(content, code):
    with pytest.raises(AddressImportError) as info:
        read_table(content)
    assert info.value.code == code


def test_zip_not_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(AddressImportError) as info:
        read_table(buffer.getvalue())
    assert info.value.code == "bad_xlsx"


def test_rows_padded_to_header_width():
    _headers, rows = read_table(b"A,B,C\n1\n1,2,3,4\n")
    assert rows == [["1", "", ""], ["1", "2", "3"]]


def test_sniff_delimiter():
    assert sniff_delimiter("a;b;c\n1;2;3") == ";"
    assert sniff_delimiter("a\tb\n") == "\t"
    assert sniff_delimiter("a,b\n") == ","
    assert sniff_delimiter("single\n") == ","
    assert sniff_delimiter("a;b", ",") == ","


# ---------------------------------------------------------------- mapping
def test_guess_mapping_multilingual():
    assert guess_mapping(["Nom", "IDE", "Courriel", "NPA", "Localité"]) == {
        "name": "Nom",
        "uid": "IDE",
        "email": "Courriel",
        "zip": "NPA",
        "city": "Localité",
    }
    assert guess_mapping(["Firma", "PLZ", "Ort", "Strasse"])["street"] == "Strasse"


def test_check_mapping_missing_mandatory():
    with pytest.raises(AddressImportError) as info:
        check_mapping(["Name", "Ort"], {"name": "Firma", "city": "Ort"}, {"name"})
    assert info.value.code == "missing_columns"
    assert "Firma" in info.value.params["columns"]


def test_check_mapping_optional_missing_and_case_insensitive():
    indexes = check_mapping(["FIRMA", "Ort"], {"name": "Firma", "zip": "PLZ"}, {"name"})
    assert indexes == {"name": 0}
    assert extract_rows([["A AG", "Bern"]], indexes) == [{"name": "A AG"}]


# ---------------------------------------------------------------- normalisation
def test_normalise_name():
    assert normalise_name("Müller & Co. AG") == "muller"
    assert normalise_name("  MÜLLER  co ") == "muller"
    assert normalise_name("Crèmerie Dupré Sàrl") == "cremerie dupre"
    assert normalise_name("AG") == "ag"  # never empty


def test_normalise_street():
    assert normalise_street("Bahnhofstr. 12") == normalise_street("Bahnhofstrasse 12") == "bahnhof strasse 12"
    assert normalise_street("Av. de la Gare 3") == "avenue de la gare 3"
    assert normalise_street("Industriestraße 1") == "industrie strasse 1"


def test_normalise_zip():
    assert normalise_zip("CH-8001") == "8001"
    assert normalise_zip(" 80 01 ") == "8001"
    assert normalise_zip(8001) == "8001"


def test_uid_helpers():
    assert compact_uid("CHE-100.000.006 MWST") == "CHE100000006"
    assert compact_uid("DE123456789") == ""
    assert validate_uid("che100000006") == UID
    with pytest.raises(AddressImportError):
        validate_uid("CHE-123.456.789")


def test_match_keys():
    keys = match_keys(
        {
            "name": "Müller AG",
            "vat": "CHE-100.000.006 TVA",
            "email": " Info@X.ch ",
            "zip": "8001",
            "street": "Seestr. 1",
        }
    )
    assert keys == {"uid": "CHE100000006", "email": "info@x.ch", "name": "muller|8001|see strasse 1"}
    assert name_key("Müller", "", "Seestrasse 1") == ""


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "values, code",
    [
        ({"name": " "}, "empty_name"),
        ({"name": "A", "uid": "CHE-123.456.789"}, "invalid_uid"),
        ({"name": "A", "vat": "CHE-123.456.789 MWST"}, "invalid_vat"),
        ({"name": "A", "uid": UID, "vat": "CHE-100.000.012 MWST"}, "vat_uid_mismatch"),
        ({"name": "A", "email": "a@b"}, "invalid_email"),
        ({"name": "A", "country": "XX"}, "unknown_country"),
    ],
)
def test_clean_row_rejections(values, code):
    cleaned, reason = clean_row(values, {"CH", "DE"})
    assert cleaned is None
    assert reason[0] == code
    assert reason_text(reason)


def test_clean_row_ok():
    cleaned, reason = clean_row(
        {
            "name": " A AG ",
            "uid": "che100000006",
            "vat": "CHE100000006TVA",
            "email": "A@B.CH",
            "country": "ch",
            "is_company": "Ja",
        },
        {"CH"},
    )
    assert reason is None
    assert cleaned == {
        "name": "A AG",
        "uid": UID,
        "vat": "CHE-100.000.006 TVA",
        "email": "a@b.ch",
        "country": "CH",
        "is_company": True,
    }


# ---------------------------------------------------------------- matching and diff
def test_match_order_and_ambiguity():
    index = build_index(
        {
            1: {"uid": "CHE100000006", "email": "a@x.ch", "name": ""},
            2: {"uid": "", "email": "b@x.ch", "name": "b|1000|weg 1"},
            3: {"uid": "", "email": "b@x.ch", "name": "c|1000|weg 1"},
        }
    )
    assert match_row({"uid": "CHE100000006", "email": "b@x.ch", "name": ""}, index)[:3] == ("update", 1, "uid")
    assert match_row({"uid": "CHE100000012", "email": "a@x.ch", "name": ""}, index)[:3] == ("update", 1, "email")
    status, partner, kind, reason = match_row({"uid": "", "email": "b@x.ch", "name": "c|1000|weg 1"}, index)
    assert (status, partner, kind, reason[0]) == ("ambiguous", None, "email", "ambiguous")
    assert match_row({"uid": "", "email": "", "name": "c|1000|weg 1"}, index)[:3] == ("update", 3, "name")
    assert match_row({"uid": "", "email": "z@x.ch", "name": ""}, index)[:3] == ("new", None, "")


def test_diff_values():
    current = {"name": "A AG", "city": "Bern", "email": "", "is_company": False}
    assert diff_values(
        current, {"name": "A AG ", "city": "Thun", "email": "a@x.ch", "zip": "", "is_company": True}
    ) == {
        "city": ("Bern", "Thun"),
        "email": ("", "a@x.ch"),
        "is_company": (False, True),
    }


def test_rows_to_csv_for_excel():
    content = rows_to_csv(["Line", "Name"], [[2, "Müller"]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines() == ["Line;Name", "2;Müller"]
