"""Swico ``//S1/`` structured billing information (syntax definition v1.2) for the QR-bill.

Tags: 10 invoice number, 11 invoice date (YYMMDD), 20 customer reference, 30 UID (9 digits,
without the CHE prefix), 31 VAT date, 32 VAT rates (``rate:base;rate:base`` or a single rate),
40 payment conditions (``discount%:days;...``, ``0:30`` meaning net at 30 days).
"""

import re
from decimal import Decimal

PREFIX = "//S1/"


class BillingInformation(str):
    """A ``//S1/`` string built by the suite for one QR-bill. The QR-bill rendering hands it to the
    payload builder in the context (``sysengage_qr_billing_information``); the builder takes only this
    type: a client's context holds plain strings, so it cannot add billing information to a QR-bill."""


def escape(value):
    """Escape the separator ``/`` and the escape character ``\\`` inside a tag value."""
    return str(value).replace("\\", "\\\\").replace("/", "\\/")


def format_number(value):
    """A decimal number without useless trailing zeros: 8.10 -> 8.1, 1000.00 -> 1000."""
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_date(value):
    return value.strftime("%y%m%d")


def uid_digits(vat):
    """The 9 digits of a Swiss UID (CHE-123.456.789 MWST -> 123456789), or '' when not Swiss."""
    match = re.match(r"^\s*CHE[-\s]?(\d{3})\.?(\d{3})\.?(\d{3})", vat or "", re.IGNORECASE)
    return "".join(match.groups()) if match else ""


def build_s1(
    invoice_number=None,
    invoice_date=None,
    customer_reference=None,
    vat_number=None,
    vat_date=None,
    vat_details=None,
    conditions=None,
):
    """The ``//S1/...`` string; empty values are left out.

    :param vat_details: list of ``(rate, base)``; a single entry whose base is None writes only the rate.
    :param conditions: list of ``(discount_percent, days)``.
    """
    parts = []
    if invoice_number:
        parts.append(("10", escape(invoice_number)))
    if invoice_date:
        parts.append(("11", format_date(invoice_date)))
    if customer_reference:
        parts.append(("20", escape(customer_reference)))
    uid = uid_digits(vat_number)
    if uid:
        parts.append(("30", uid))
    if vat_date:
        if isinstance(vat_date, tuple | list):
            parts.append(("31", "".join(format_date(day) for day in vat_date)))
        else:
            parts.append(("31", format_date(vat_date)))
    if vat_details:
        if len(vat_details) == 1 and vat_details[0][1] is None:
            parts.append(("32", format_number(vat_details[0][0])))
        else:
            parts.append(("32", ";".join(f"{format_number(rate)}:{format_number(base)}" for rate, base in vat_details)))
    if conditions:
        parts.append(("40", ";".join(f"{format_number(pct)}:{int(days)}" for pct, days in conditions)))
    if not parts:
        return ""
    return PREFIX + "/".join(f"{tag}/{value}" for tag, value in parts)


def parse_s1(text):
    """The tags of a ``//S1/`` string as a dict of raw (unescaped) values, for checks and imports."""
    if not text.startswith(PREFIX):
        raise ValueError("not a Swico S1 billing information")
    body = text[len(PREFIX) :]
    tokens, current, index = [], "", 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            current += body[index + 1]
            index += 2
            continue
        if char == "/":
            tokens.append(current)
            current = ""
        else:
            current += char
        index += 1
    tokens.append(current)
    if len(tokens) % 2:
        raise ValueError("odd number of tag/value tokens")
    return dict(zip(tokens[0::2], tokens[1::2], strict=True))
