"""Check of a Swiss QR-bill payload against the SIX Implementation Guidelines 2.3.

The payload is the list of lines that ``l10n_ch`` encodes in the QR code (version 0200).
:func:`validate_payload` returns a list of :class:`PayloadError`, each naming the element
(``Cdtr/Name``, ``CcyAmt/Amt``...) so that the user knows which field to fix.
"""

import re
from collections import namedtuple

from .qr_reference import is_valid_qrr

PayloadError = namedtuple("PayloadError", ["field", "message"])

# Element path (IG 2.3 chapter 4.2) of each payload line, in order.
FIELDS = (
    "Header/QRType",
    "Header/Version",
    "Header/Coding",
    "CdtrInf/IBAN",
    "Cdtr/AdrTp",
    "Cdtr/Name",
    "Cdtr/StrtNmOrAdrLine1",
    "Cdtr/BldgNbOrAdrLine2",
    "Cdtr/PstCd",
    "Cdtr/TwnNm",
    "Cdtr/Ctry",
    "UltmtCdtr/AdrTp",
    "UltmtCdtr/Name",
    "UltmtCdtr/StrtNmOrAdrLine1",
    "UltmtCdtr/BldgNbOrAdrLine2",
    "UltmtCdtr/PstCd",
    "UltmtCdtr/TwnNm",
    "UltmtCdtr/Ctry",
    "CcyAmt/Amt",
    "CcyAmt/Ccy",
    "UltmtDbtr/AdrTp",
    "UltmtDbtr/Name",
    "UltmtDbtr/StrtNmOrAdrLine1",
    "UltmtDbtr/BldgNbOrAdrLine2",
    "UltmtDbtr/PstCd",
    "UltmtDbtr/TwnNm",
    "UltmtDbtr/Ctry",
    "RmtInf/Tp",
    "RmtInf/Ref",
    "RmtInf/AddInf/Ustrd",
    "RmtInf/AddInf/Trailer",
    "RmtInf/AddInf/StrdBkgInf",
    "AltPmtInf/AltPmt",
    "AltPmtInf/AltPmt",
)
MANDATORY_LINES = 31
MAX_PAYLOAD_CHARS = 997
MAX_AMOUNT = 999999999.99

# Character set of IG 2.3 (chapter 4.1.1): Basic Latin, Latin-1 Supplement, Latin Extended-A,
# plus Ș ș Ț ț and the euro sign.
_ALLOWED_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x17F), (0x218, 0x21B), (0x20AC, 0x20AC))
_AMOUNT_RE = re.compile(r"^\d{1,9}\.\d{2}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_ADDRESS_LIMITS = (("Name", 70), ("StrtNmOrAdrLine1", 70), ("BldgNbOrAdrLine2", 16), ("PstCd", 16), ("TwnNm", 35))


def is_allowed_char(char):
    code = ord(char)
    return any(low <= code <= high for low, high in _ALLOWED_RANGES)


def invalid_chars(value):
    """The characters of ``value`` outside the QR-bill character set, in order, without repeats."""
    seen = []
    for char in value or "":
        if not is_allowed_char(char) and char not in seen:
            seen.append(char)
    return seen


def is_qr_iban(iban):
    """True for a CH/LI IBAN whose institution id (QR-IID) lies in 30000-31999."""
    iban = (iban or "").replace(" ", "").upper()
    return len(iban) == 21 and iban[:2] in ("CH", "LI") and iban[4:9].isdigit() and 30000 <= int(iban[4:9]) <= 31999


def is_valid_scor(reference):
    """True for an ISO 11649 creditor reference (RFxx..., at most 25 characters, mod 97 == 1)."""
    ref = (reference or "").replace(" ", "").upper()
    if not (5 <= len(ref) <= 25 and ref.startswith("RF") and ref[2:4].isdigit() and ref.isalnum()):
        return False
    rearranged = ref[4:] + ref[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def iban_error(iban):
    """Why a Swiss/Liechtenstein IBAN is invalid (length, characters, check digits), or None."""
    iban = (iban or "").replace(" ", "").upper()
    if len(iban) != 21:
        return f"a CH/LI IBAN has 21 characters, not {len(iban)}"
    if not iban[2:].isdigit() and not iban[4:].isalnum():
        return "an IBAN contains letters and digits only"
    if not _iban_checksum_ok(iban):
        return "the IBAN check digits are wrong"
    return None


def _iban_checksum_ok(iban):
    rearranged = iban[4:] + iban[:4]
    try:
        return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1
    except ValueError:
        return False


def _check_address(lines, start, prefix, mandatory, errors):
    adr_tp, *values = lines[start : start + 7]
    name, street, number, postcode, town, country = values
    if not any(lines[start : start + 7]):
        if mandatory:
            errors.append(PayloadError(f"{prefix}/Name", "the address is mandatory"))
        return
    if adr_tp != "S":
        errors.append(PayloadError(f"{prefix}/AdrTp", "only structured addresses (type S) are allowed since IG 2.3"))
    for (element, limit), value in zip(_ADDRESS_LIMITS, values[:5], strict=True):
        if len(value) > limit:
            errors.append(PayloadError(f"{prefix}/{element}", f"at most {limit} characters, got {len(value)}"))
    for element, value in (("Name", name), ("PstCd", postcode), ("TwnNm", town)):
        if not value.strip():
            errors.append(PayloadError(f"{prefix}/{element}", "is mandatory"))
    if not _COUNTRY_RE.match(country or ""):
        errors.append(PayloadError(f"{prefix}/Ctry", "must be a two-letter ISO 3166 country code"))
    del street, number  # optional elements, only their length is checked above


def validate_payload(lines):
    """All the IG 2.3 violations of a QR-bill payload (list of lines); an empty list when valid."""
    errors = []
    lines = [line if line is not None else "" for line in lines]
    if not MANDATORY_LINES <= len(lines) <= len(FIELDS):
        return [PayloadError("Header", f"the payload has {len(lines)} elements, expected 31 to 34")]
    for field, value in zip(FIELDS, lines, strict=False):
        if "\n" in value or "\r" in value:
            errors.append(PayloadError(field, "must not contain a line break"))
        bad = invalid_chars(value.replace("\n", "").replace("\r", ""))
        if bad:
            shown = ", ".join(repr(char) for char in bad)
            errors.append(PayloadError(field, f"characters outside the QR-bill character set: {shown}"))
    if lines[0:3] != ["SPC", "0200", "1"]:
        errors.append(PayloadError("Header", "must be SPC / 0200 / 1"))

    iban = lines[3].replace(" ", "").upper()
    if len(iban) != 21 or iban[:2] not in ("CH", "LI"):
        errors.append(PayloadError("CdtrInf/IBAN", "must be a Swiss or Liechtenstein IBAN of 21 characters"))
    elif not _iban_checksum_ok(iban):
        errors.append(PayloadError("CdtrInf/IBAN", "the IBAN check digits are wrong"))

    _check_address(lines, 4, "Cdtr", True, errors)
    if any(lines[11:18]):
        errors.append(PayloadError("UltmtCdtr", "reserved for future use, must stay empty"))
    _check_address(lines, 20, "UltmtDbtr", False, errors)

    amount = lines[18]
    if amount:
        if not _AMOUNT_RE.match(amount):
            errors.append(PayloadError("CcyAmt/Amt", "must be digits with a decimal point and 2 decimals"))
        elif not 0.01 <= float(amount) <= MAX_AMOUNT:
            errors.append(PayloadError("CcyAmt/Amt", "must lie between 0.01 and 999999999.99"))
    if lines[19] not in ("CHF", "EUR"):
        errors.append(PayloadError("CcyAmt/Ccy", "only CHF and EUR are allowed"))

    ref_type, reference = lines[27], lines[28]
    qr_iban = is_qr_iban(iban)
    if ref_type == "QRR":
        if not qr_iban:
            errors.append(PayloadError("RmtInf/Tp", "a QR reference (QRR) requires a QR-IBAN"))
        if not is_valid_qrr(reference) or " " in reference:
            errors.append(PayloadError("RmtInf/Ref", "not a valid 27-digit QR reference (check digit)"))
    elif ref_type == "SCOR":
        if qr_iban:
            errors.append(PayloadError("RmtInf/Tp", "a QR-IBAN requires a QR reference (QRR)"))
        if not is_valid_scor(reference):
            errors.append(PayloadError("RmtInf/Ref", "not a valid ISO 11649 creditor reference"))
    elif ref_type == "NON":
        if qr_iban:
            errors.append(PayloadError("RmtInf/Tp", "a QR-IBAN requires a QR reference (QRR)"))
        if reference:
            errors.append(PayloadError("RmtInf/Ref", "must be empty with reference type NON"))
    else:
        errors.append(PayloadError("RmtInf/Tp", "must be QRR, SCOR or NON"))

    unstructured = lines[29]
    billing = lines[31] if len(lines) > 31 else ""
    if len(unstructured) > 140:
        errors.append(PayloadError("RmtInf/AddInf/Ustrd", f"at most 140 characters, got {len(unstructured)}"))
    if len(billing) > 140:
        errors.append(PayloadError("RmtInf/AddInf/StrdBkgInf", f"at most 140 characters, got {len(billing)}"))
    elif len(unstructured) + len(billing) > 140:
        errors.append(
            PayloadError("RmtInf/AddInf/StrdBkgInf", "message and billing information together exceed 140 characters")
        )
    if lines[30] != "EPD":
        errors.append(PayloadError("RmtInf/AddInf/Trailer", "must be EPD"))
    for alt in lines[32:34]:
        if len(alt) > 100:
            errors.append(PayloadError("AltPmtInf/AltPmt", "at most 100 characters"))
    if len("\n".join(lines)) > MAX_PAYLOAD_CHARS:
        errors.append(PayloadError("Payload", f"the whole payload exceeds {MAX_PAYLOAD_CHARS} characters"))
    return errors


# --- Checks on the source fields (before anything is put in the payload) -----------------------
# IG 2.3 limits of each source value, by the name of the source field.
SOURCE_LIMITS = {
    "name": 70,
    "street": 70,
    "building_number": 16,
    "postal_code": 16,
    "town": 35,
    "message": 140,
}
SourceError = namedtuple("SourceError", ["field", "problem", "limit", "length", "chars"])
SourceError.__new__.__defaults__ = (None, None, None)

_TRAILING_NUMBER_RE = re.compile(r"^(?P<street>.*?\S)\s*,?\s+(?P<number>\d+\s?[A-Za-z]?(?:[/-]\d+[A-Za-z]?)?)$")
_LEADING_NUMBER_RE = re.compile(r"^(?P<number>\d+\s?[A-Za-z]?(?:[/-]\d+)?)\s*,?\s+(?P<street>\D.*)$")


def split_street(street):
    """(street name, building number) of a street line, never shortened.

    ``Bahnhofstrasse 1a`` and ``12 rue de la Paix`` both give the house number apart; a line
    without a number is kept whole as the street name.
    """
    street = (street or "").strip()
    match = _TRAILING_NUMBER_RE.match(street) or _LEADING_NUMBER_RE.match(street)
    if not match:
        return street, ""
    return match["street"].strip(), match["number"].strip()


def check_source_fields(values):
    """IG 2.3 problems of the source ``values`` (dict field -> text), in the order given.

    Each problem is a :class:`SourceError`: ``problem`` is ``"length"`` (with ``limit`` and
    ``length``), ``"charset"`` (with the offending ``chars``), ``"line_break"``, ``"missing"``
    (mandatory ``name``, ``postal_code``, ``town``, ``country`` when given as keys) or ``"country"``.
    Nothing is shortened: the caller refuses the document.
    """
    errors = []
    for field, value in values.items():
        value = value or ""
        if field == "country":
            if not value:
                errors.append(SourceError(field, "missing"))
            elif not _COUNTRY_RE.match(value):
                errors.append(SourceError(field, "country"))
            continue
        if not value.strip() and field in ("name", "postal_code", "town"):
            errors.append(SourceError(field, "missing"))
            continue
        limit = SOURCE_LIMITS.get(field)
        if limit and len(value) > limit:
            errors.append(SourceError(field, "length", limit, len(value)))
        if "\n" in value or "\r" in value:
            errors.append(SourceError(field, "line_break"))
        bad = invalid_chars(value.replace("\n", "").replace("\r", ""))
        if bad:
            errors.append(SourceError(field, "charset", chars="".join(bad)))
    return errors


def reference_type(reference, qr_iban):
    """(type, reference, problem) of the QR-bill reference for the account kind.

    ``problem`` is None when the reference can be encoded as it is, else a code:
    ``qrr_required`` (QR-IBAN without a valid QR reference), ``qrr_needs_qr_iban`` (a QR
    reference on an ordinary IBAN), ``invalid_scor`` (RF... with a wrong check), ``not_structured``
    (digits only, neither QRR nor RF: it would silently become an unstructured message). Free
    text on an ordinary IBAN is type NON: it travels as the unstructured message.
    """
    cleaned = re.sub(r"\s+", "", reference or "").upper()
    if qr_iban:
        if is_valid_qrr(cleaned):
            return "QRR", cleaned, None
        return "QRR", cleaned, "qrr_required"
    if not cleaned:
        return "NON", "", None
    if cleaned.startswith("RF") and cleaned[2:4].isdigit():
        if is_valid_scor(cleaned):
            return "SCOR", cleaned, None
        return "SCOR", cleaned, "invalid_scor"
    if cleaned.isdigit():
        if is_valid_qrr(cleaned):
            return "QRR", cleaned, "qrr_needs_qr_iban"
        return "NON", cleaned, "not_structured"
    return "NON", "", None
