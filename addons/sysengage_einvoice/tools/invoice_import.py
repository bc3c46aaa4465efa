"""Parsing of third-party invoices into plain dicts: UBL 2.1, CII (Factur-X), yellowbill 2.0 and
tables (CSV/XLS/XLSX rows with a column mapping).

Every parser returns a list of invoices::

    {"number", "partner_name", "partner_vat", "invoice_date", "due_date", "currency", "total",
     "lines": [{"description", "quantity", "price_unit", "tax_rate"}]}

and raises :class:`ImportParseError` with a message naming the element or column at fault.
"""

import csv
import io
from datetime import date, datetime

from lxml import etree

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
TABLE_FIELDS = (
    "number",
    "partner_name",
    "partner_vat",
    "invoice_date",
    "due_date",
    "currency",
    "description",
    "quantity",
    "price_unit",
    "tax_rate",
)
REQUIRED_TABLE_FIELDS = ("number", "partner_name", "invoice_date", "description", "quantity", "price_unit")


class ImportParseError(ValueError):
    """The file cannot be read; the message names the element or column."""


def _number(value, field):
    if value is None or str(value).strip() == "":
        raise ImportParseError(f"{field}: a number is required")
    text = str(value).strip().replace("'", "").replace("\u2019", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError as error:
        raise ImportParseError(f"{field}: {value!r} is not a number") from error


def _date(value, field, fmt=None):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        raise ImportParseError(f"{field}: a date is required")
    for candidate in filter(None, (fmt, "%Y-%m-%d", "%d.%m.%Y", "%Y%m%d", "%d/%m/%Y")):
        try:
            return datetime.strptime(text[:10] if candidate == "%Y-%m-%d" else text, candidate).date()
        except ValueError:
            continue
    raise ImportParseError(f"{field}: {text!r} is not a date")


def _text(node, path, namespaces="ns"):
    found = node.find(path, NS if namespaces == "ns" else namespaces)
    return (found.text or "").strip() if found is not None and found.text else ""


def _required(value, field):
    if not value:
        raise ImportParseError(f"{field} is missing")
    return value


def detect_xml(xml_bytes):
    """'ubl', 'cii' or 'yellowbill' from the root element, else raise."""
    try:
        root = etree.fromstring(xml_bytes)
    except etree.XMLSyntaxError as error:
        raise ImportParseError(f"not well-formed XML: {error}") from error
    name = etree.QName(root)
    if name.namespace in (NS["inv"], NS["cn"]):
        return "ubl"
    if name.namespace == NS["rsm"]:
        return "cii"
    if name.localname == "Envelope" and root.find("Body/Bill") is not None:
        return "yellowbill"
    raise ImportParseError(f"unknown XML document <{name.localname}>")


def parse_ubl(xml_bytes):
    root = etree.fromstring(xml_bytes)
    credit = etree.QName(root).namespace == NS["cn"]
    line_tag = "cac:CreditNoteLine" if credit else "cac:InvoiceLine"
    qty_tag = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    party = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    if party is None:
        raise ImportParseError("cac:AccountingCustomerParty is missing")
    lines = []
    for index, line in enumerate(root.findall(line_tag, NS), start=1):
        lines.append(
            {
                "description": _text(line, "cac:Item/cbc:Name") or _text(line, "cac:Item/cbc:Description"),
                "quantity": _number(_text(line, qty_tag), f"line {index} {qty_tag}"),
                "price_unit": _number(_text(line, "cac:Price/cbc:PriceAmount"), f"line {index} cbc:PriceAmount"),
                "tax_rate": float(_text(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent") or 0.0),
            }
        )
    return [
        {
            "number": _required(_text(root, "cbc:ID"), "cbc:ID"),
            "partner_name": _text(party, "cac:PartyLegalEntity/cbc:RegistrationName")
            or _text(party, "cac:PartyName/cbc:Name"),
            "partner_vat": _text(party, "cac:PartyTaxScheme/cbc:CompanyID"),
            "invoice_date": _date(_text(root, "cbc:IssueDate"), "cbc:IssueDate"),
            "due_date": _date(_text(root, "cbc:DueDate"), "cbc:DueDate") if _text(root, "cbc:DueDate") else None,
            "currency": _text(root, "cbc:DocumentCurrencyCode"),
            "total": _number(_text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount"), "cbc:PayableAmount"),
            "credit_note": credit,
            "lines": _required(lines, line_tag),
        }
    ]


def parse_cii(xml_bytes):
    root = etree.fromstring(xml_bytes)
    trade = root.find("rsm:SupplyChainTradeTransaction", NS)
    if trade is None:
        raise ImportParseError("rsm:SupplyChainTradeTransaction is missing")
    buyer = trade.find("ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty", NS)
    if buyer is None:
        raise ImportParseError("ram:BuyerTradeParty is missing")
    settlement = trade.find("ram:ApplicableHeaderTradeSettlement", NS)
    lines = []
    for index, line in enumerate(trade.findall("ram:IncludedSupplyChainTradeLineItem", NS), start=1):
        lines.append(
            {
                "description": _text(line, "ram:SpecifiedTradeProduct/ram:Name"),
                "quantity": _number(
                    _text(line, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"), f"line {index} BilledQuantity"
                ),
                "price_unit": _number(
                    _text(line, "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"),
                    f"line {index} ChargeAmount",
                ),
                "tax_rate": float(
                    _text(line, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent")
                    or 0.0
                ),
            }
        )
    due = _text(settlement, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString")
    return [
        {
            "number": _required(_text(root, "rsm:ExchangedDocument/ram:ID"), "rsm:ExchangedDocument/ram:ID"),
            "partner_name": _text(buyer, "ram:Name"),
            "partner_vat": _text(buyer, "ram:SpecifiedTaxRegistration/ram:ID"),
            "invoice_date": _date(
                _text(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"), "ram:IssueDateTime", "%Y%m%d"
            ),
            "due_date": _date(due, "ram:DueDateDateTime", "%Y%m%d") if due else None,
            "currency": _text(settlement, "ram:InvoiceCurrencyCode"),
            "total": _number(
                _text(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount"),
                "ram:GrandTotalAmount",
            ),
            "credit_note": _text(root, "rsm:ExchangedDocument/ram:TypeCode") == "381",
            "lines": _required(lines, "ram:IncludedSupplyChainTradeLineItem"),
        }
    ]


def parse_yellowbill(xml_bytes):
    root = etree.fromstring(xml_bytes)
    bill = root.find("Body/Bill")
    header = bill.find("Header")
    receiver = header.find("ReceiverParty/PartyType")
    lines = []
    for index, item in enumerate(bill.findall("LineItems/LineItem"), start=1):
        lines.append(
            {
                "description": _text(item, "ProductDescription", None),
                "quantity": _number(_text(item, "Quantity", None), f"line {index} Quantity"),
                "price_unit": _number(_text(item, "PriceUnit", None), f"line {index} PriceUnit"),
                "tax_rate": float(_text(item, "Tax/TaxDetail/Rate", None) or 0.0),
            }
        )
    due = _text(header, "PaymentInformation/PaymentDueDate", None)
    return [
        {
            "number": _required(_text(header, "DocumentID", None), "DocumentID"),
            "partner_name": _text(receiver, "Address/CompanyName", None),
            "partner_vat": _text(receiver, "TaxID", None),
            "invoice_date": _date(_text(header, "DocumentDate", None), "DocumentDate"),
            "due_date": _date(due, "PaymentDueDate") if due else None,
            "currency": _text(header, "Currency", None),
            "total": _number(_text(bill, "Summary/TotalAmountInclusiveTax", None), "TotalAmountInclusiveTax"),
            "credit_note": _text(header, "DocumentType", None) == "CREDITADVICE",
            "lines": _required(lines, "LineItems/LineItem"),
        }
    ]


def parse_xml(xml_bytes):
    return {"ubl": parse_ubl, "cii": parse_cii, "yellowbill": parse_yellowbill}[detect_xml(xml_bytes)](xml_bytes)


def read_table(data, filename, delimiter=","):
    """Rows (list of dicts keyed by the header row) of a CSV, XLS or XLSX file."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    elif name.endswith(".xls"):
        import xlrd

        book = xlrd.open_workbook(file_contents=data)
        sheet = book.sheet_by_index(0)
        rows = []
        for index in range(sheet.nrows):
            row = []
            for cell in sheet.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                else:
                    row.append(cell.value)
            rows.append(row)
    else:
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter or ","))
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    if not rows:
        raise ImportParseError("the file is empty")
    header = [str(cell or "").strip() for cell in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def parse_table(rows, mapping, date_format=None):
    """Invoices from table rows; ``mapping`` maps each of TABLE_FIELDS to a column header.

    Consecutive rows sharing the same invoice number form one invoice.
    """
    for field in REQUIRED_TABLE_FIELDS:
        if not mapping.get(field):
            raise ImportParseError(f"the mapping has no column for {field}")
    if rows:
        missing = [mapping[f] for f in TABLE_FIELDS if mapping.get(f) and mapping[f] not in rows[0]]
        if missing:
            raise ImportParseError(f"column(s) not found in the file: {', '.join(missing)}")
    invoices = {}
    for row_number, row in enumerate(rows, start=2):

        def cell(field, row=row):
            column = mapping.get(field)
            value = row.get(column) if column else None
            return value.strip() if isinstance(value, str) else value

        number = str(cell("number") or "").strip()
        if number.endswith(".0"):
            number = number[:-2]
        if not number:
            raise ImportParseError(f"row {row_number}: column {mapping['number']} is empty")
        invoice = invoices.setdefault(
            number,
            {
                "number": number,
                "partner_name": str(cell("partner_name") or ""),
                "partner_vat": str(cell("partner_vat") or ""),
                "invoice_date": _date(cell("invoice_date"), f"row {row_number} {mapping['invoice_date']}", date_format),
                "due_date": _date(cell("due_date"), f"row {row_number} {mapping['due_date']}", date_format)
                if cell("due_date")
                else None,
                "currency": str(cell("currency") or ""),
                "total": None,
                "credit_note": False,
                "lines": [],
            },
        )
        invoice["lines"].append(
            {
                "description": str(cell("description") or ""),
                "quantity": _number(cell("quantity"), f"row {row_number} {mapping['quantity']}"),
                "price_unit": _number(cell("price_unit"), f"row {row_number} {mapping['price_unit']}"),
                "tax_rate": _number(cell("tax_rate"), f"row {row_number} {mapping.get('tax_rate')}")
                if cell("tax_rate") not in (None, "")
                else 0.0,
            }
        )
    return list(invoices.values())
