"""QRR/ISR references and the IG 2.3 payload check (plain Python)."""

from datetime import date

import pytest
from sysengage_einvoice_testing.testing_qr import PLAIN_IBAN, QR_IBAN, SIX_QRR, qr_payload
from sysengage_einvoice_tools.qr_payload import is_qr_iban, is_valid_scor, validate_payload
from sysengage_einvoice_tools.qr_reference import (
    format_qrr,
    is_valid_qrr,
    make_qrr,
    mod10_recursive,
    qrr_error,
)
from sysengage_einvoice_tools.swico import build_s1, parse_s1, uid_digits


def _payload(**overrides):
    lines = qr_payload(
        QR_IBAN,
        ["S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH"],
        "1949.75",
        "CHF",
        ["S", "Pia-Maria Rutschmann-Schnyder", "Grosse Marktgasse", "28", "9400", "Rorschach", "CH"],
        "QRR",
        SIX_QRR,
        "Order of 15 June 2020",
    )
    index = {
        "iban": 3,
        "cdtr_name": 5,
        "cdtr_street": 6,
        "cdtr_zip": 8,
        "cdtr_city": 9,
        "amount": 18,
        "currency": 19,
        "dbtr_type": 20,
        "dbtr_name": 21,
        "ref_type": 27,
        "ref": 28,
        "message": 29,
    }
    extra = overrides.pop("extra", None)
    for key, value in overrides.items():
        lines[index[key]] = value
    if extra is not None:
        lines.append(extra)
    return lines


def _fields(errors):
    return {error.field for error in errors}


def test_mod10_recursive_known_values():
    assert mod10_recursive("21000000000313947143000901") == 7
    assert mod10_recursive("00000000000000000000000000") == 0
    with pytest.raises(ValueError):
        mod10_recursive("12A")


def test_legacy_isr_reference_is_a_valid_qrr():
    assert is_valid_qrr(SIX_QRR)
    assert is_valid_qrr("21 00000 00003 13947 14300 09017")
    assert qrr_error(SIX_QRR) is None


def test_wrong_check_digit_is_reported():
    assert not is_valid_qrr(SIX_QRR[:-1] + "8")
    assert "check digit" in qrr_error(SIX_QRR[:-1] + "8")
    assert "27 digits" in qrr_error("1234")
    assert "digits only" in qrr_error("RF18539007547034")


def test_make_and_format_qrr():
    ref = make_qrr("INV/2026/00042")
    assert len(ref) == 27 and is_valid_qrr(ref)
    assert ref.startswith("0000000000000")
    assert format_qrr(SIX_QRR) == "21 00000 00003 13947 14300 09017"
    # longer payloads keep their rightmost digits
    assert make_qrr("9" * 30)[:-1] == "9" * 26


def test_qr_iban_and_scor():
    assert is_qr_iban(QR_IBAN) and not is_qr_iban(PLAIN_IBAN)
    assert is_valid_scor("RF18539007547034")
    assert not is_valid_scor("RF19539007547034")


def test_valid_payload_has_no_error():
    assert validate_payload(_payload()) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cdtr_name": "X" * 71}, "Cdtr/Name"),
        ({"cdtr_city": "Y" * 36}, "Cdtr/TwnNm"),
        ({"cdtr_zip": ""}, "Cdtr/PstCd"),
        ({"dbtr_name": "Ω Corp"}, "UltmtDbtr/Name"),
        ({"dbtr_type": "K"}, "UltmtDbtr/AdrTp"),
        ({"amount": "1949.7"}, "CcyAmt/Amt"),
        ({"amount": "1000000000.00"}, "CcyAmt/Amt"),
        ({"currency": "USD"}, "CcyAmt/Ccy"),
        ({"ref": SIX_QRR[:-1] + "0"}, "RmtInf/Ref"),
        ({"iban": PLAIN_IBAN}, "RmtInf/Tp"),
        ({"iban": "CH4431999123000889013"}, "CdtrInf/IBAN"),
        ({"ref_type": "NON", "ref": ""}, "RmtInf/Tp"),
        ({"message": "M" * 141}, "RmtInf/AddInf/Ustrd"),
        ({"message": "M" * 100, "extra": "//S1/10/" + "1" * 40}, "RmtInf/AddInf/StrdBkgInf"),
    ],
)
def test_payload_errors_name_the_field(overrides, field):
    assert field in _fields(validate_payload(_payload(**overrides)))


def test_latin_extended_a_is_allowed_but_not_beyond():
    assert validate_payload(_payload(dbtr_name="Łukasz Żółć Dvořák")) == []
    assert validate_payload(_payload(dbtr_name="Ștefan Țară €")) == []
    errors = validate_payload(_payload(dbtr_name="Ελλάδα AG"))
    assert _fields(errors) == {"UltmtDbtr/Name"}


def test_scor_on_plain_iban_and_empty_amount():
    lines = _payload(iban=PLAIN_IBAN, ref_type="SCOR", ref="RF18539007547034", amount="")
    assert validate_payload(lines) == []


def test_swico_s1_round_trip():
    text = build_s1(
        invoice_number="INV/2026/0001",
        invoice_date=date(2026, 11, 27),
        customer_reference="PO-4711",
        vat_number="CHE-116.281.710 TVA",
        vat_date=date(2026, 11, 27),
        vat_details=[(8.1, 1000.0), (2.6, 51.8)],
        conditions=[(2, 10), (0, 30)],
    )
    assert text == (
        "//S1/10/INV\\/2026\\/0001/11/261127/20/PO-4711/30/116281710/31/261127/32/8.1:1000;2.6:51.8/40/2:10;0:30"
    )
    assert parse_s1(text)["10"] == "INV/2026/0001"
    assert parse_s1(text)["32"] == "8.1:1000;2.6:51.8"


def test_swico_single_rate_and_uid():
    assert build_s1(vat_details=[(8.1, None)]) == "//S1/32/8.1"
    assert uid_digits("CHE-123.456.789 MWST") == "123456789"
    assert uid_digits("FR12345678901") == ""
    assert build_s1() == ""


def test_iban_error():
    from sysengage_einvoice_tools.qr_payload import iban_error

    assert iban_error(QR_IBAN) is None
    assert iban_error(PLAIN_IBAN) is None
    assert "check digits" in iban_error("CH4431999123000889013")
    assert "21 characters" in iban_error("CH44319991230008890")
