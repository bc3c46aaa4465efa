"""yellowbill and cXML builders on plain dicts, golden files and schema validation; import parsers."""

import os
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from sysengage_einvoice_tools.cxml import build_invoice_detail_request, cxml_lines, structure_errors, with_shared_secret
from sysengage_einvoice_tools.invoice_import import (
    ImportParseError,
    detect_xml,
    parse_table,
    parse_xml,
    read_table,
)
from sysengage_einvoice_tools.yellowbill import build_yellowbill, validation_errors

GOLDEN = Path(__file__).resolve().parents[2] / "addons" / "sysengage_einvoice" / "tests" / "golden"
REGENERATE = os.environ.get("SYSENGAGE_REGEN_GOLDEN")

SUPPLIER = {
    "company": "Sysengage SA",
    "street": "Rue du Lac 12",
    "zip": "1003",
    "city": "Lausanne",
    "country": "CH",
    "email": "billing@sysengage.ch",
}
CUSTOMER = {"company": "Muster AG", "street": "Bahnhofstrasse 1", "zip": "8001", "city": "Zürich", "country": "CH"}
LINES = [
    {
        "description": "Consulting hour",
        "product_code": "CONS",
        "quantity": 2,
        "uom": "h",
        "price_unit": 150.0,
        "tax_rate": 8.1,
        "tax_amount": 24.3,
        "amount_excl": 300.0,
    },
    {
        "description": "Book",
        "product_code": "",
        "quantity": 1,
        "uom": "pce",
        "price_unit": 40.0,
        "tax_rate": 2.6,
        "tax_amount": 1.04,
        "amount_excl": 40.0,
    },
]
TAXES = [{"rate": 2.6, "base": 40.0, "amount": 1.04}, {"rate": 8.1, "base": 300.0, "amount": 24.3}]


def _yellowbill_data(**overrides):
    data = {
        "biller_id": "41101000001021209",
        "recipient_id": "41105000000000001",
        "transaction_id": "1-42-INV/2026/00042",
        "delivery_date": date(2026, 11, 27),
        "document_type": "BILL",
        "document_id": "INV/2026/00042",
        "document_date": date(2026, 11, 20),
        "sender": {"address": SUPPLIER, "tax_id": "CHE-116.281.710 TVA"},
        "receiver": {"address": CUSTOMER, "customer_id": "C-001"},
        "tax_liability": "VAT",
        "order_reference": "PO-77",
        "currency": "CHF",
        "language": "fr",
        "payment": {
            "due_date": date(2026, 12, 20),
            "iban": "CH44 3199 9123 0008 8901 2",
            "creditor_name": "Sysengage SA",
            "reference": "210000000003139471430009017",
        },
        "lines": LINES,
        "taxes": TAXES,
        "total_excl": 340.0,
        "total_incl": 365.34,
        "total_due": 365.34,
        "pdf": b"%PDF-1.4 golden placeholder",
        "pdf_name": "INV_2026_00042.pdf",
        "software_version": "19.0.1.0.0",
    }
    data.update(overrides)
    return data


def _cxml_data(**overrides):
    data = {
        "payload_id": "42.INV/2026/00042@1.sysengage",
        "timestamp": "2026-11-27T10:00:00+00:00",
        "deployment_mode": "test",
        "from_id": "AN02000000002",
        "to_id": "AN01000000001",
        "sender_id": "AN02000000002",
        "shared_secret": "abracadabra",
        "invoice_id": "INV/2026/00042",
        "invoice_date": "2026-11-20T00:00:00+00:00",
        "order_id": "4500012345",
        "currency": "CHF",
        "lang": "de-CH",
        "remit_to": {
            "name": "Sysengage SA",
            "street": "Rue du Lac 12",
            "zip": "1003",
            "city": "Lausanne",
            "country": "CH",
            "vat": "CHE-116.281.710 TVA",
        },
        "bill_to": {
            "name": "Muster AG",
            "street": "Bahnhofstrasse 1",
            "zip": "8001",
            "city": "Zürich",
            "country": "CH",
        },
        "payment_days": 30,
        "lines": cxml_lines(LINES),
        "taxes": TAXES,
        "subtotal": 340.0,
        "total_tax": 25.34,
        "total": 365.34,
        "due": 365.34,
    }
    data.update(overrides)
    return data


def _golden(name, content):
    path = GOLDEN / name
    if REGENERATE:
        path.write_bytes(content)
    assert content == path.read_bytes(), f"{name} differs from the golden file"


def test_yellowbill_matches_golden_and_schema():
    xml = build_yellowbill(_yellowbill_data())
    _golden("yellowbill_invoice.xml", xml)
    assert validation_errors((GOLDEN / "yellowbill_invoice.xml").read_bytes()) == []


def test_yellowbill_credit_note_and_alternative_recipient_are_valid():
    xml = build_yellowbill(_yellowbill_data(document_type="CREDITADVICE", recipient_id="billing@muster.ch"))
    assert validation_errors(xml) == []
    assert b"<AlternativeRecipientID>billing@muster.ch</AlternativeRecipientID>" in xml


def test_yellowbill_schema_errors_are_reported():
    xml = build_yellowbill(_yellowbill_data(biller_id="4110"))
    errors = validation_errors(xml)
    assert errors and "BillerID" in errors[0]


def test_cxml_matches_golden_and_is_complete():
    xml = build_invoice_detail_request(_cxml_data())
    _golden("cxml_invoice.xml", xml)
    assert structure_errors(xml) == []
    root = etree.fromstring(xml)
    rates = {d.get("percentageRate") for d in root.findall(".//InvoiceDetailSummary/Tax/TaxDetail")}
    assert rates == {"2.6", "8.1"}


def test_cxml_secret_filled_at_transport_only():
    stored = build_invoice_detail_request(_cxml_data(shared_secret=""))
    assert b"abracadabra" not in stored
    assert structure_errors(stored) == [], "an empty secret element is complete: it is filled at transport"
    sent = with_shared_secret(stored, "s3<cr&t")
    assert b"InvoiceDetail.dtd" in sent
    root = etree.fromstring(sent)
    assert root.findtext("Header/Sender/Credential/SharedSecret") == "s3<cr&t"
    assert root.findtext("Header/To/Credential/Identity") == "AN01000000001"
    assert structure_errors(sent) == []
    without_sender = b"<cXML><Header/></cXML>"
    with pytest.raises(ValueError):
        with_shared_secret(without_sender, "x")


def test_cxml_missing_order_is_reported():
    xml = build_invoice_detail_request(_cxml_data(order_id=""))
    assert "missing @orderID on OrderReference" in structure_errors(xml)


def test_import_reads_the_golden_yellowbill():
    xml = (GOLDEN / "yellowbill_invoice.xml").read_bytes()
    assert detect_xml(xml) == "yellowbill"
    (invoice,) = parse_xml(xml)
    assert invoice["number"] == "INV/2026/00042"
    assert invoice["total"] == 365.34
    assert [line["tax_rate"] for line in invoice["lines"]] == [8.1, 2.6]


def test_table_import_groups_rows_and_names_bad_cells():
    rows = read_table(b"Nr;Kunde;Datum;Text;Menge;Preis\nA1;X;20.11.2026;a;1;10\nA1;X;20.11.2026;b;2;5\n", "x.csv", ";")
    mapping = {
        "number": "Nr",
        "partner_name": "Kunde",
        "invoice_date": "Datum",
        "description": "Text",
        "quantity": "Menge",
        "price_unit": "Preis",
    }
    (invoice,) = parse_table(rows, mapping, "%d.%m.%Y")
    assert len(invoice["lines"]) == 2 and invoice["invoice_date"] == date(2026, 11, 20)
    rows[0]["Preis"] = "abc"
    with pytest.raises(ImportParseError, match="row 2 Preis"):
        parse_table(rows, mapping)
    with pytest.raises(ImportParseError, match="column"):
        parse_table(rows, {**mapping, "price_unit": "Price"})
    with pytest.raises(ImportParseError, match="unknown XML"):
        detect_xml(b"<foo/>")
