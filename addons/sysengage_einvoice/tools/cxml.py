"""SAP Ariba cXML ``InvoiceDetailRequest`` (cXML 1.2.050) built from a plain dict.

No DTD is shipped offline, so :func:`structure_errors` checks the elements that the Ariba Network
rejects when missing (credentials, shared secret, invoice id and date, order reference, lines,
tax detail per rate, summary amounts).
"""

from lxml import etree

DOCTYPE = '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/InvoiceDetail.dtd">'
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _money(parent, tag, amount, currency):
    node = etree.SubElement(parent, tag)
    money = etree.SubElement(node, "Money", currency=currency)
    money.text = f"{amount:.2f}"
    return node


def _credential(parent, tag, domain, identity, secret=None):
    node = etree.SubElement(parent, tag)
    credential = etree.SubElement(node, "Credential", domain=domain)
    etree.SubElement(credential, "Identity").text = identity
    if secret is not None:
        etree.SubElement(credential, "SharedSecret").text = secret
    return node


def _contact(parent, role, party, lang):
    partner = etree.SubElement(parent, "InvoicePartner")
    contact = etree.SubElement(partner, "Contact", role=role)
    etree.SubElement(contact, "Name", {XML_LANG: lang}).text = party["name"]
    postal = etree.SubElement(contact, "PostalAddress")
    if party.get("street"):
        etree.SubElement(postal, "Street").text = party["street"]
    etree.SubElement(postal, "City").text = party.get("city") or ""
    etree.SubElement(postal, "PostalCode").text = party.get("zip") or ""
    etree.SubElement(postal, "Country", isoCountryCode=party.get("country") or "CH").text = party.get(
        "country_name"
    ) or (party.get("country") or "CH")
    if party.get("vat"):
        etree.SubElement(partner, "IdReference", identifier=party["vat"], domain="vatID")
    return partner


def _tax(parent, amount, details, currency, lang):
    tax = _money(parent, "Tax", amount, currency)
    etree.SubElement(tax, "Description", {XML_LANG: lang}).text = "VAT"
    for detail in details:
        node = etree.SubElement(tax, "TaxDetail", purpose="tax", category="vat", percentageRate=f"{detail['rate']:g}")
        _money(node, "TaxableAmount", detail["base"], currency)
        _money(node, "TaxAmount", detail["amount"], currency)
    return tax


def cxml_lines(invoice_lines):
    """The ``lines`` of :func:`build_invoice_detail_request` from the invoice lines of the builders'
    common values (quantity, price_unit, description, amount_excl, tax_rate, tax_amount); unit "EA"."""
    return [
        {
            "quantity": line["quantity"],
            "uom": "EA",
            "price_unit": line["price_unit"],
            "description": line["description"],
            "subtotal": line["amount_excl"],
            "tax_rate": line["tax_rate"],
            "tax_amount": line["tax_amount"],
        }
        for line in invoice_lines
    ]


def build_invoice_detail_request(data):
    """The cXML document (bytes) of one invoice.

    ``data`` keys: ``payload_id``, ``timestamp`` (ISO string), ``deployment_mode`` (production/test),
    ``from_id``, ``to_id``, ``sender_id``, ``shared_secret``, ``invoice_id``, ``invoice_date`` (ISO),
    ``purpose`` (standard/creditMemo), ``order_id``, ``currency``, ``lang``, ``remit_to`` and ``bill_to``
    (name, street, zip, city, country, vat), ``payment_days``, ``lines`` (quantity, uom, price_unit,
    description, subtotal, tax_rate, tax_amount), ``taxes`` (rate, base, amount), ``subtotal``,
    ``total_tax``, ``total``, ``due``.
    """
    currency = data["currency"]
    lang = data.get("lang") or "en"
    root = etree.Element("cXML", payloadID=data["payload_id"], timestamp=data["timestamp"], **{XML_LANG: lang})
    header = etree.SubElement(root, "Header")
    _credential(header, "From", "NetworkID", data["from_id"])
    _credential(header, "To", "NetworkID", data["to_id"])
    sender = _credential(header, "Sender", "NetworkID", data["sender_id"], data["shared_secret"])
    etree.SubElement(sender, "UserAgent").text = "Sysengage"

    request = etree.SubElement(root, "Request", deploymentMode=data.get("deployment_mode") or "production")
    detail_request = etree.SubElement(request, "InvoiceDetailRequest")
    head = etree.SubElement(
        detail_request,
        "InvoiceDetailRequestHeader",
        invoiceID=data["invoice_id"],
        purpose=data.get("purpose") or "standard",
        operation="new",
        invoiceDate=data["invoice_date"],
    )
    etree.SubElement(head, "InvoiceDetailHeaderIndicator")
    etree.SubElement(head, "InvoiceDetailLineIndicator", isTaxInLine="yes")
    _contact(head, "remitTo", data["remit_to"], lang)
    _contact(head, "billTo", data["bill_to"], lang)
    if data.get("payment_days") is not None:
        etree.SubElement(head, "PaymentTerm", payInNumberOfDays=str(int(data["payment_days"])))

    order = etree.SubElement(detail_request, "InvoiceDetailOrder")
    info = etree.SubElement(order, "InvoiceDetailOrderInfo")
    order_ref = etree.SubElement(info, "OrderReference", orderID=data["order_id"])
    etree.SubElement(order_ref, "DocumentReference", payloadID="")
    for number, line in enumerate(data["lines"], start=1):
        item = etree.SubElement(
            order, "InvoiceDetailItem", invoiceLineNumber=str(number), quantity=f"{line['quantity']:g}"
        )
        etree.SubElement(item, "UnitOfMeasure").text = line.get("uom") or "EA"
        _money(item, "UnitPrice", line["price_unit"], currency)
        reference = etree.SubElement(item, "InvoiceDetailItemReference", lineNumber=str(number))
        etree.SubElement(reference, "Description", {XML_LANG: lang}).text = line["description"]
        _money(item, "SubtotalAmount", line["subtotal"], currency)
        _tax(
            item,
            line["tax_amount"],
            [{"rate": line["tax_rate"], "base": line["subtotal"], "amount": line["tax_amount"]}],
            currency,
            lang,
        )

    summary = etree.SubElement(detail_request, "InvoiceDetailSummary")
    _money(summary, "SubtotalAmount", data["subtotal"], currency)
    _tax(summary, data["total_tax"], data["taxes"], currency, lang)
    _money(summary, "GrossAmount", data["total"], currency)
    _money(summary, "NetAmount", data["total"], currency)
    _money(summary, "DueAmount", data.get("due", data["total"]), currency)
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True).decode()
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n{body}'.encode()


_REQUIRED = (
    "Header/From/Credential/Identity",
    "Header/To/Credential/Identity",
    "Header/Sender/Credential/Identity",
    "Header/Sender/Credential/SharedSecret",
    "Request/InvoiceDetailRequest/InvoiceDetailRequestHeader",
    "Request/InvoiceDetailRequest/InvoiceDetailOrder/InvoiceDetailOrderInfo/OrderReference",
    "Request/InvoiceDetailRequest/InvoiceDetailOrder/InvoiceDetailItem",
    "Request/InvoiceDetailRequest/InvoiceDetailSummary/SubtotalAmount/Money",
    "Request/InvoiceDetailRequest/InvoiceDetailSummary/Tax/TaxDetail",
    "Request/InvoiceDetailRequest/InvoiceDetailSummary/DueAmount/Money",
)


SECRET_PATH = "Header/Sender/Credential/SharedSecret"


def structure_errors(xml_bytes):
    """The missing mandatory parts of a cXML invoice, as element paths; empty when complete.

    The shared secret element must be there, but may be empty: it is filled at transport time only
    (:func:`with_shared_secret`), so the stored and previewed document never holds the secret.
    """
    root = etree.fromstring(xml_bytes)
    errors = []
    for path in _REQUIRED:
        node = root.find(path)
        if node is None or (
            path != SECRET_PATH and len(node) == 0 and not (node.text or "").strip() and not node.attrib
        ):
            errors.append(f"missing {path}")
    head = root.find("Request/InvoiceDetailRequest/InvoiceDetailRequestHeader")
    if head is not None:
        errors += [
            f"missing @{attr} on InvoiceDetailRequestHeader"
            for attr in ("invoiceID", "invoiceDate")
            if not head.get(attr)
        ]
    order = root.find("Request/InvoiceDetailRequest/InvoiceDetailOrder/InvoiceDetailOrderInfo/OrderReference")
    if order is not None and not order.get("orderID"):
        errors.append("missing @orderID on OrderReference")
    return errors


def with_shared_secret(xml_bytes, secret):
    """The cXML document ``xml_bytes`` with the sender's shared secret filled in (for transport only).

    :raises ValueError: when the document has no sender credential to hold the secret
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.fromstring(xml_bytes, parser).getroottree()
    node = tree.getroot().find(SECRET_PATH)
    if node is None:
        raise ValueError("the cXML document has no Header/Sender/Credential/SharedSecret element")
    node.text = secret or ""
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True)
