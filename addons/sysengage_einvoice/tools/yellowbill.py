"""PostFinance eBill yellowbill Invoice 2.0 (schema ybInvoice_V2.0.4) built from a plain dict.

The caller (the ORM layer) gathers the invoice data into the dict documented in
:func:`build_yellowbill`; this module only writes XML and validates it against the XSD.
"""

import base64
from pathlib import Path

from lxml import etree

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "schemas" / "ybInvoice_V2.0.4.xsd"
_SCHEMA = None


def _money(value):
    return f"{value:.2f}"


def _qty(value):
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def _sub(parent, tag, text=None, **attrs):
    node = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        node.text = str(text)
    return node


def _address(parent, address):
    node = _sub(parent, "Address")
    for key, tag in (
        ("company", "CompanyName"),
        ("division", "CompanyDivision"),
        ("street", "Address1"),
        ("street2", "Address2"),
    ):
        if address.get(key):
            _sub(node, tag, address[key])
    _sub(node, "ZIP", address.get("zip") or "")
    _sub(node, "City", address.get("city") or "")
    _sub(node, "Country", address.get("country") or "")
    if address.get("email"):
        _sub(node, "Email", address["email"])
    if address.get("contact"):
        _sub(node, "Contact1", address["contact"])
    return node


def _party(parent, party):
    node = _sub(parent, "PartyType")
    if party.get("customer_id"):
        _sub(node, "CustomerID", party["customer_id"])
    _address(node, party["address"])
    if party.get("tax_id"):
        _sub(node, "TaxID", party["tax_id"])
    return node


def _tax_detail(parent, tax):
    node = _sub(parent, "TaxDetail")
    _sub(node, "Rate", _qty(tax["rate"]))
    _sub(node, "Amount", _money(tax["amount"]))
    _sub(node, "BaseAmountExclusiveTax", _money(tax["base"]))
    _sub(node, "BaseAmountInclusiveTax", _money(tax["base"] + tax["amount"]))
    return node


def build_yellowbill(data):
    """The yellowbill XML (bytes, UTF-8) of one invoice or credit note.

    ``data`` keys: ``biller_id`` (17 digits), ``recipient_id`` (17-digit eBill account id, else an
    alternative recipient id), ``transaction_id``, ``delivery_date``, ``document_type`` (BILL or
    CREDITADVICE), ``document_id``, ``document_date``, ``sender`` and ``receiver`` (``address`` dict:
    company, street, street2, zip, city, country, email; optional ``customer_id``, ``tax_id``),
    ``tax_liability`` (VAT/FRE), ``order_reference``, ``currency``, ``language`` (de/fr/it/en),
    ``payment`` (``due_date``, ``iban``, ``creditor_name``, ``reference``), ``lines`` (``description``,
    ``product_code``, ``quantity``, ``uom``, ``price_unit``, ``tax_rate``, ``tax_amount``,
    ``amount_excl``), ``taxes`` (``rate``, ``amount``, ``base``), ``total_excl``, ``total_incl``,
    ``total_due``, ``pdf`` (bytes) and ``pdf_name``, optional ``software_version``.
    """
    envelope = etree.Element("Envelope", type="string")
    header = _sub(envelope, "Header")
    _sub(header, "From", data["sender"]["address"].get("company") or "Sysengage")
    _sub(header, "To", "IPECeBILLServer")
    _sub(header, "UseCase", "CreateybInvoice")
    _sub(header, "SessionID", "1")
    _sub(header, "Version", "2.0")
    _sub(header, "Status", "0")
    _sub(header, "SoftwareName", "Sysengage")
    _sub(header, "SoftwareVersion", data.get("software_version") or "19.0")

    body = _sub(envelope, "Body")
    delivery = _sub(body, "DeliveryInfo")
    _sub(delivery, "BillerID", data["biller_id"])
    recipient = str(data["recipient_id"])
    if recipient.isdigit() and len(recipient) == 17:
        _sub(delivery, "eBillAccountID", recipient)
    else:
        _sub(delivery, "AlternativeRecipientID", recipient)
    _sub(delivery, "DeliveryDate", data["delivery_date"].isoformat())
    _sub(delivery, "TransactionID", data["transaction_id"][:50])
    _sub(delivery, "BillDetailsType", "PDFAppendix")

    bill = _sub(body, "Bill")
    bill_header = _sub(bill, "Header")
    _sub(bill_header, "DocumentType", data.get("document_type") or "BILL")
    _sub(bill_header, "DocumentID", data["document_id"][:70])
    _sub(bill_header, "DocumentDate", data["document_date"].isoformat())
    sender = _sub(bill_header, "SenderParty")
    _sub(sender, "TaxLiability", data.get("tax_liability") or "VAT")
    _party(sender, data["sender"])
    receiver = _sub(bill_header, "ReceiverParty")
    _party(receiver, data["receiver"])
    _sub(bill_header, "Currency", data["currency"])
    if data.get("order_reference"):
        fixed = _sub(bill_header, "FixedReference")
        _sub(fixed, "ReferencePosition", "1")
        _sub(fixed, "ReferenceType", "OrderNumberByBuyer")
        _sub(fixed, "ReferenceValue", data["order_reference"])
    _sub(bill_header, "Language", data.get("language") or "de")
    payment = data["payment"]
    payment_node = _sub(bill_header, "PaymentInformation")
    _sub(payment_node, "PaymentDueDate", payment["due_date"].isoformat())
    _sub(payment_node, "PaymentType", "IBAN")
    _sub(payment_node, "fixAmount", "Yes")
    iban_node = _sub(payment_node, "IBAN")
    _sub(iban_node, "IBAN", payment["iban"].replace(" ", ""))
    if payment.get("creditor_name"):
        _sub(iban_node, "CreditorName", payment["creditor_name"][:50])
    if payment.get("reference"):
        _sub(iban_node, "CreditorReference", payment["reference"].replace(" ", ""))

    items = _sub(bill, "LineItems")
    for index, line in enumerate(data["lines"], start=1):
        item = _sub(items, "LineItem")
        _sub(item, "LineItemType", "NORMAL")
        _sub(item, "LineItemID", str(index))
        _sub(item, "ProductDescription", line["description"])
        if line.get("product_code"):
            _sub(item, "ProductID", line["product_code"])
        _sub(item, "Quantity", _qty(line["quantity"]))
        _sub(item, "QuantityDescription", (line.get("uom") or "pce")[:20])
        _sub(item, "PriceUnit", _money(line["price_unit"]))
        tax = _sub(item, "Tax")
        _tax_detail(tax, {"rate": line["tax_rate"], "amount": line["tax_amount"], "base": line["amount_excl"]})
        _sub(tax, "TotalTax", _money(line["tax_amount"]))
        _sub(item, "AmountInclusiveTax", _money(line["amount_excl"] + line["tax_amount"]))
        _sub(item, "AmountExclusiveTax", _money(line["amount_excl"]))

    summary = _sub(bill, "Summary")
    if data["taxes"]:
        tax = _sub(summary, "Tax")
        for detail in data["taxes"]:
            _tax_detail(tax, detail)
        _sub(tax, "TotalTax", _money(sum(detail["amount"] for detail in data["taxes"])))
    _sub(summary, "TotalAmountExclusiveTax", _money(data["total_excl"]))
    _sub(summary, "TotalAmountInclusiveTax", _money(data["total_incl"]))
    _sub(summary, "TotalAmountDue", _money(data.get("total_due", data["total_incl"])))

    appendix = _sub(body, "Appendix")
    document = _sub(
        appendix, "Document", MimeType="x-application/pdfappendix", FileName=data.get("pdf_name") or "invoice.pdf"
    )
    document.text = base64.b64encode(data["pdf"]).decode()
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def schema():
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    return _SCHEMA


def validation_errors(xml_bytes):
    """The XSD errors of a yellowbill document as strings (``line N: message``); empty when valid."""
    xsd = schema()
    document = etree.fromstring(xml_bytes)
    if xsd.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in xsd.error_log]
