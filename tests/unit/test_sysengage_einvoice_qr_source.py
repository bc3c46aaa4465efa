"""QR-bill source fields checked before encoding, reference types, amounts in words per currency."""

import pytest
from sysengage_einvoice_testing.testing_qr import CREDITOR, DEBTORS_ABROAD, PLAIN_IBAN, QR_IBAN, SIX_QRR, qr_payload
from sysengage_einvoice_tools.amount_words import amount_to_words
from sysengage_einvoice_tools.qr_payload import check_source_fields, reference_type, split_street, validate_payload


def _payload(debtor, currency, iban=QR_IBAN, ref_type="QRR", ref=SIX_QRR, message="INV/2026/00001"):
    return qr_payload(iban, CREDITOR, "1949.75", currency, debtor, ref_type, ref, message)


@pytest.mark.parametrize("country", sorted(DEBTORS_ABROAD))
@pytest.mark.parametrize("currency", ["CHF", "EUR"])
def test_debtors_abroad_are_valid(country, currency):
    assert validate_payload(_payload(DEBTORS_ABROAD[country], currency)) == []
    assert validate_payload(_payload(DEBTORS_ABROAD[country], currency, PLAIN_IBAN, "SCOR", "RF18539007547034")) == []
    assert validate_payload(_payload(DEBTORS_ABROAD[country], currency, PLAIN_IBAN, "NON", "")) == []


@pytest.mark.parametrize(
    ("field", "limit"),
    [("name", 70), ("street", 70), ("building_number", 16), ("postal_code", 16), ("town", 35), ("message", 140)],
)
def test_each_limit_is_refused_on_the_source_field(field, limit):
    assert check_source_fields({field: "x" * limit}) == []
    errors = check_source_fields({field: "x" * (limit + 1)})
    assert [(e.field, e.problem, e.limit, e.length) for e in errors] == [(field, "length", limit, limit + 1)]


def test_character_set_line_breaks_and_missing_fields():
    assert check_source_fields({"town": "Łódź", "name": "Ștefan Țară"}) == []
    errors = check_source_fields({"town": "Αθήνα"})
    assert errors[0].problem == "charset" and errors[0].chars == "Αθήνα"
    assert check_source_fields({"street": "a\nb"})[0].problem == "line_break"
    assert [e.problem for e in check_source_fields({"name": "", "postal_code": " ", "country": ""})] == [
        "missing",
        "missing",
        "missing",
    ]
    assert check_source_fields({"country": "Deutschland"})[0].problem == "country"


def test_street_split_never_shortens():
    assert split_street("Bahnhofstrasse 1a") == ("Bahnhofstrasse", "1a")
    assert split_street("12 rue de la Paix") == ("rue de la Paix", "12")
    assert split_street("Via Cantonale") == ("Via Cantonale", "")
    long_street = "S" * 75 + " 5"
    assert split_street(long_street) == ("S" * 75, "5")


def test_reference_types_are_never_changed_silently():
    assert reference_type(SIX_QRR, True) == ("QRR", SIX_QRR, None)
    assert reference_type("4711", True)[2] == "qrr_required"
    assert reference_type("RF18 5390 0754 7034", False) == ("SCOR", "RF18539007547034", None)
    assert reference_type("RF19539007547034", False)[2] == "invalid_scor"
    assert reference_type(SIX_QRR, False)[2] == "qrr_needs_qr_iban"
    assert reference_type("4711", False)[2] == "not_structured"
    assert reference_type("", False) == ("NON", "", None)
    assert reference_type("INV/2026/00001", False) == ("NON", "", None)


@pytest.mark.parametrize(
    ("amount", "lang", "currency", "decimals", "words"),
    [
        (21.0, "fr_CH", "CHF", 2, "vingt et un francs"),
        (21.0, "fr_CH", "EUR", 2, "vingt et un euros"),
        (21.5, "de_CH", "USD", 2, "einundzwanzig US-Dollar und fünfzig Cent"),
        (1.0, "fr_CH", "GBP", 2, "une livre sterling"),
        (1.0, "de_CH", "SEK", 2, "eine schwedische Krone"),
        (2.0, "it_CH", "NOK", 2, "due corone norvegesi"),
        (1500, "it_CH", "JPY", 0, "millecinquecento yen"),
        (12.5, "fr_CH", "XAF", 2, "douze XAF et cinquante centièmes"),
    ],
)
def test_amount_in_words_for_each_currency(amount, lang, currency, decimals, words):
    assert amount_to_words(amount, lang, currency, decimals) == words


@pytest.mark.parametrize("currency", ["EUR", "USD", "GBP", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK", "CAD", "AUD"])
@pytest.mark.parametrize("lang", ["fr_CH", "de_CH", "it_CH"])
def test_no_currency_but_the_franc_is_written_in_francs(currency, lang):
    words = amount_to_words(1234.56, lang, currency)
    assert not any(franc in words.lower() for franc in ("franc", "franken", "franch"))
