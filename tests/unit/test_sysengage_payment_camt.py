"""camt.053 / camt.054 detection, schema check, parsing and matching (plain Python)."""

import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest
from sysengage_payment_tools.camt import CamtError, load, parse, validate
from sysengage_payment_tools.matching import OpenItems

ADDON = Path(__file__).resolve().parents[2] / "addons" / "sysengage_payment"
SAMPLES = ADDON / "tests" / "samples"
_spec = importlib.util.spec_from_file_location("camt_samples", ADDON / "tests" / "camt_samples.py")
camt_samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(camt_samples)

SIX_QRR = "210000000003139471430009017"
RF = "RF18539007547034"


def _transactions(parsed):
    return [tx for st in parsed["statements"] for entry in st["entries"] for tx in entry["transactions"]]


@pytest.mark.parametrize("name", ["postfinance_camt054_v08.xml", "postfinance_camt054_v04.xml"])
def test_postfinance_qr_batch_is_split(name):
    parsed = parse((SAMPLES / name).read_bytes())
    assert parsed["message"] == "camt.054"
    statement = parsed["statements"][0]
    assert statement["account_iban"] == "CH2909000000250094239"
    entry = statement["entries"][0]
    assert entry["entry_ref"] == "CH7730000001250094239"  # the QR-IBAN
    assert entry["amount"] == Decimal("1692.22")
    txs = entry["transactions"]
    assert [tx["amount"] for tx in txs] == [Decimal("778.29"), Decimal("913.93")]
    assert [tx["reference_type"] for tx in txs] == ["QRR", "QRR"]
    assert txs[0]["reference"] == "539115429773825311971477453"
    assert txs[0]["counterparty_name"] == "Bernasconi Maria"
    assert txs[0]["counterparty_iban"] == "CH5109000000250092291"
    assert sum(tx["amount"] for tx in txs) == entry["amount"]
    assert len({tx["key"] for tx in txs}) == 2


def test_postfinance_statement_v04_balances_and_batches():
    parsed = parse((SAMPLES / "postfinance_camt053_v04.xml").read_bytes())
    assert (parsed["message"], parsed["version"]) == ("camt.053", "04")
    statement = parsed["statements"][0]
    assert statement["balances"]["OPBD"] == Decimal("322152.16")
    assert statement["balances"]["CLBD"] == Decimal("322689.77")
    moved = sum(
        entry["amount"] if entry["credit_debit"] == "CRDT" else -entry["amount"] for entry in statement["entries"]
    )
    assert statement["balances"]["OPBD"] + moved == statement["balances"]["CLBD"]
    isr = [entry for entry in statement["entries"] if len(entry["transactions"]) == 10]
    assert isr and all(tx["reference_type"] == "QRR" for tx in isr[0]["transactions"])  # ISR references
    assert sum(tx["amount"] for tx in isr[0]["transactions"]) == isr[0]["amount"]


def test_genkgo_debit_batch_v08():
    parsed = parse((SAMPLES / "genkgo_camt054_v08.xml").read_bytes())
    txs = _transactions(parsed)
    assert parsed["statements"][0]["entries"][0]["credit_debit"] == "DBIT"
    # the TxDtls of this synthetic file say CRDT: the entry's direction is what moved on the account
    assert len(txs) == 3 and not any(tx["credit"] for tx in txs)


@pytest.mark.parametrize("message", ["camt.054", "camt.053"])
@pytest.mark.parametrize("version", ["04", "08"])
def test_written_samples_are_schema_valid_and_round_trip(message, version):
    data = camt_samples.write_camt(
        [
            {
                "date": "2026-11-30",
                "ntry_ref": "CH4431999123000889012",
                "transactions": [
                    {
                        "amount": 120.5,
                        "ref_type": "QRR",
                        "ref": SIX_QRR,
                        "debtor_name": "Müller & Söhne GmbH",
                        "debtor_iban": "DE89370400440532013000",
                        "uetr": "b009c997-97b3-4a9c-803c-d645a7276bf0",
                    },
                    {"amount": 80.0, "ref_type": "SCOR", "ref": RF, "debtor_name": "Dupré SARL"},
                ],
            },
            {"date": "2026-11-30", "transactions": [{"amount": 15.0, "credit": False, "message": "Frais"}]},
        ],
        message=message,
        version=version,
        currency="CHF",
    )
    validate(load(data))
    parsed = parse(data)
    txs = _transactions(parsed)
    assert [(tx["amount"], tx["reference_type"], tx["credit"]) for tx in txs] == [
        (Decimal("120.50"), "QRR", True),
        (Decimal("80.00"), "SCOR", True),
        (Decimal("15.00"), "", False),
    ]
    assert txs[0]["counterparty_name"] == "Müller & Söhne GmbH"
    assert txs[1]["reference"] == RF
    if message == "camt.053":
        balances = parsed["statements"][0]["balances"]
        assert balances["CLBD"] - balances["OPBD"] == Decimal("185.50")


def test_malformed_foreign_and_invalid_files():
    with pytest.raises(CamtError) as error:
        parse(b"<Document><unclosed></Document>")
    assert error.value.code == "not_xml"
    with pytest.raises(CamtError) as error:
        parse(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>')
    assert error.value.code == "foreign"
    with pytest.raises(CamtError) as error:
        parse(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>')
    assert error.value.code == "foreign"
    data = (SAMPLES / "postfinance_camt054_v08.xml").read_bytes().replace(b"<Cd>BOOK</Cd>", b"<Cd>BOOKED</Cd>")
    with pytest.raises(CamtError) as error:
        parse(data)
    assert error.value.code == "schema"
    assert any("Cd" in detail for detail in error.value.details)


def test_entities_are_not_expanded():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">&x;</Document>'
    )
    with pytest.raises(CamtError):
        parse(data)


def _items():
    return [
        {
            "id": 1,
            "reference": SIX_QRR,
            "residual": Decimal("100.00"),
            "currency": "CHF",
            "partner_id": 10,
            "partner_names": ("Muster AG",),
            "partner_ibans": (),
        },
        {
            "id": 2,
            "reference": RF,
            "residual": Decimal("50.00"),
            "currency": "EUR",
            "partner_id": 11,
            "partner_names": ("Dupré SARL",),
            "partner_ibans": (),
        },
        {
            "id": 3,
            "reference": "INV/2026/00003",
            "residual": Decimal("75.00"),
            "currency": "CHF",
            "partner_id": 12,
            "partner_names": ("Bernasconi Maria",),
            "partner_ibans": ("CH5109000000250092291",),
        },
        {
            "id": 4,
            "reference": "INV/2026/00004",
            "residual": Decimal("75.00"),
            "currency": "CHF",
            "partner_id": 13,
            "partner_names": ("Keller AG",),
            "partner_ibans": (),
        },
    ]


def _tx(amount, currency="CHF", ref_type="", reference="", name="", iban="", credit=True):
    return {
        "amount": Decimal(amount),
        "currency": currency,
        "reference_type": ref_type,
        "reference": reference,
        "counterparty_name": name,
        "counterparty_iban": iban,
        "credit": credit,
    }


def test_matching_by_each_key_in_order():
    index = OpenItems(_items())
    assert index.match(_tx("100.00", ref_type="QRR", reference=SIX_QRR))[:3][1:] == ("qrr", "exact")
    assert index.match(_tx("50.00", "EUR", "SCOR", "rf18 5390 0754 7034"))[0]["id"] == 2
    item, method, outcome, _detail = index.match(_tx("75.00", iban="CH51 0900 0000 2500 9229 1"))
    assert (item["id"], method, outcome) == (3, "amount_partner", "exact")
    item, method, outcome, _detail = index.match(_tx("75.00", name="KELLER AG"))
    assert (item["id"], method, outcome) == (4, "amount_partner", "exact")


def test_partial_over_paid_and_unmatched():
    index = OpenItems(_items())
    assert index.match(_tx("40.00", ref_type="QRR", reference=SIX_QRR))[2:] == ("partial", "60.00")
    assert index.match(_tx("70.00", ref_type="QRR", reference=SIX_QRR))[2:] == ("over", "10.00")
    # the invoice is now covered: a third payment of the same reference is reported, not matched again
    assert index.match(_tx("5.00", ref_type="QRR", reference=SIX_QRR))[2] == "already_paid"
    assert index.match(_tx("5.00", ref_type="QRR", reference="000000000000000000000000000"))[2] == "no_reference_match"
    assert index.match(_tx("50.00", "CHF", "SCOR", RF))[2] == "currency"
    assert index.match(_tx("75.00", name="Unknown"))[2] == "no_match"
    assert index.match(_tx("75.00", credit=False))[2] == "debit"


def test_same_amount_same_debtor_is_ambiguous():
    items = _items() + [{**_items()[3], "id": 5}]
    assert OpenItems(items).match(_tx("75.00", name="Keller AG"))[1:3] == ("amount_partner", "ambiguous")
