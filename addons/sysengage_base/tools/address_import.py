"""Address import helpers: read a CSV/XLS/XLSX file, normalise, build matching keys, diff values.

Plain Python (no ORM). Errors are raised as :class:`AddressImportError` carrying an English message
template and its parameters, so that the ORM layer can translate them.
"""

import csv
import io
import re
import unicodedata
import zipfile

from . import swiss_identifiers

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCODINGS = ("auto", "utf-8", "windows-1252", "iso-8859-1", "utf-16")
DELIMITERS = (",", ";", "\t", "|")
# target fields of a row, in display order
TARGET_FIELDS = (
    "name",
    "is_company",
    "ref",
    "uid",
    "vat",
    "email",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "country",
    "website",
)
# header synonyms (normalised) used to guess a mapping for a new source
HEADER_SYNONYMS = {
    "name": {"name", "nom", "firma", "raison sociale", "company", "societe", "ragione sociale", "entreprise"},
    "is_company": {"is company", "company type", "type", "entreprise ?"},
    "ref": {"ref", "reference", "customer number", "kundennummer", "no client", "numero client", "code"},
    "uid": {"uid", "ide", "uid number", "numero ide", "unternehmens id", "company registry"},
    "vat": {"vat", "tva", "mwst", "iva", "vat number", "numero tva", "mwst nr"},
    "email": {"email", "e mail", "mail", "courriel"},
    "phone": {"phone", "telephone", "telefon", "tel", "telefono"},
    "street": {"street", "rue", "strasse", "adresse", "address", "via", "street 1"},
    "street2": {"street2", "street 2", "complement", "adresszusatz"},
    "zip": {"zip", "npa", "plz", "cap", "postal code", "code postal", "postleitzahl"},
    "city": {"city", "localite", "ville", "ort", "localita", "town"},
    "country": {"country", "pays", "land", "paese", "country code"},
    "website": {"website", "web", "site web", "url", "homepage"},
}
LEGAL_FORMS = {
    "ag",
    "sa",
    "gmbh",
    "sarl",
    "sagl",
    "srl",
    "ltd",
    "llc",
    "inc",
    "kg",
    "co",
    "cie",
    "et",
    "und",
    "and",
    "genossenschaft",
    "cooperative",
    "stiftung",
    "fondation",
    "verein",
    "association",
}
STREET_ABBREVIATIONS = {
    "str": "strasse",
    "strasse": "strasse",
    "st": "strasse",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "ch": "chemin",
    "rte": "route",
    "pl": "place",
    "pza": "piazza",
}
TRUE_WORDS = {"1", "true", "yes", "y", "x", "oui", "ja", "si", "company", "entreprise", "firma", "societe"}
EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[A-Za-z]{2,}$")
MOJIBAKE_RE = re.compile("[\u00c3\u00c2][\u0080-\u00bf\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161\u0178\u017d\u017e]")


# English texts of the error and rejection codes; the ORM layer translates the codes itself
MESSAGES = {
    "empty_file": "The file is empty.",
    "no_rows": "The file holds column titles but no address.",
    "not_spreadsheet": "The file is not a spreadsheet: expected a CSV, XLS or XLSX file.",
    "bad_xlsx": "bad_xlsx",
    "bad_xls": "The XLS file cannot be read: %(error)s",
    "wrong_encoding": "The file is not encoded in %(encoding)s (line %(line)s, byte 0x%(byte)s).",
    "mojibake": "The file looks like UTF-8 read as %(encoding)s (garbled accents on line %(line)s).",
    "missing_columns": "missing_columns",
    "empty_name": "The name is empty.",
    "invalid_uid": "Invalid UID %(uid)s (a Swiss UID looks like CHE-123.456.789).",
    "invalid_vat": "Invalid VAT number %(vat)s.",
    "vat_uid_mismatch": "The VAT number %(vat)s does not belong to the UID %(uid)s.",
    "invalid_email": "Invalid e-mail address %(email)s.",
    "unknown_country": "Unknown country %(country)s (use the ISO code, e.g. CH).",
    "ambiguous": "%(count)s partners share the same %(kind)s (%(key)s).",
    "duplicate": "Same partner as line %(line)s of the file.",
}


class AddressImportError(Exception):
    """A file-level error: ``code`` (a key of MESSAGES) and its parameters."""

    def __init__(self, code, **params):
        super().__init__(MESSAGES[code] % params)
        self.code = code
        self.params = params


# ----------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------
def detect_file_type(content):
    """``"xlsx"``, ``"xls"`` or ``"csv"`` from the first bytes of the file."""
    if content.startswith(XLSX_MAGIC):
        return "xlsx"
    if content.startswith(XLS_MAGIC):
        return "xls"
    return "csv"


def decode_text(content, encoding="auto"):
    """Decode CSV bytes; refuse a wrong encoding instead of importing garbled names."""
    if encoding == "auto":
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "utf-16"
        else:
            try:
                return _check_text(content.decode("utf-8-sig"))
            except UnicodeDecodeError:
                encoding = "windows-1252"
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    try:
        text = content.decode(codec)
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise AddressImportError(
            "wrong_encoding",
            encoding=encoding,
            line=line,
            byte=content[error.start : error.start + 1].hex(),
        ) from error
    if encoding != "utf-8" and MOJIBAKE_RE.search(text):
        line = text[: MOJIBAKE_RE.search(text).start()].count("\n") + 1
        raise AddressImportError(
            "mojibake",
            encoding=encoding,
            line=line,
        )
    return _check_text(text)


def _check_text(text):
    # binary files (images, PDF, archives) decode as latin text with control characters
    sample = text[:4096]
    controls = sum(1 for char in sample if unicodedata.category(char) == "Cc" and char not in "\t\r\n")
    if "\x00" in sample or controls > max(2, len(sample) // 100):
        raise AddressImportError("not_spreadsheet")
    return text


def sniff_delimiter(text, delimiter=None):
    if delimiter:
        return delimiter
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {candidate: first_line.count(candidate) for candidate in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(content, encoding="auto", delimiter=None):
    text = decode_text(content, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text, delimiter))
    return [[cell.strip() for cell in row] for row in reader]


def read_xls(content):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content)
    except Exception as error:  # xlrd raises many unrelated types for corrupted files
        raise AddressImportError("bad_xls", error=str(error)) from error
    sheet = book.sheet_by_index(0)
    rows = []
    for index in range(sheet.nrows):
        row = []
        for cell in sheet.row(index):
            value = cell.value
            if cell.ctype == xlrd.XL_CELL_NUMBER and float(value).is_integer():
                value = int(value)
            row.append(str(value).strip() if value not in (None, "") else "")
        rows.append(row)
    return rows


def read_xlsx(content):
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise AddressImportError(
            "bad_xlsx",
            error=str(error),
        ) from error
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            row = []
            for value in values:
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                row.append("" if value is None else str(value).strip())
            rows.append(row)
    finally:
        book.close()
    return rows


def read_table(content, encoding="auto", delimiter=None):
    """``(headers, rows)`` of the first sheet; rows are lists of strings padded to the headers."""
    if not content or not content.strip():
        raise AddressImportError("empty_file")
    file_type = detect_file_type(content)
    if file_type == "xlsx":
        table = read_xlsx(content)
    elif file_type == "xls":
        table = read_xls(content)
    else:
        table = read_csv(content, encoding, delimiter)
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        raise AddressImportError("empty_file")
    headers = [cell.strip() for cell in table[0]]
    if len(table) < 2:
        raise AddressImportError("no_rows")
    width = len(headers)
    rows = [(row + [""] * (width - len(row)))[:width] for row in table[1:]]
    return headers, rows


# ----------------------------------------------------------------------
# Mapping
# ----------------------------------------------------------------------
def normalise_header(header):
    return " ".join(re.sub(r"[^a-z0-9?]+", " ", strip_accents(header).lower()).split())


def guess_mapping(headers):
    """``{target field: header}`` guessed from the column titles of a new source."""
    mapping = {}
    for header in headers:
        key = normalise_header(header)
        for target, synonyms in HEADER_SYNONYMS.items():
            if target not in mapping and (key in synonyms or key == target):
                mapping[target] = header
                break
    return mapping


def check_mapping(headers, mapping, required):
    """Column index per target; refuse a mapping whose mandatory columns are missing from the file."""
    by_header = {normalise_header(header): index for index, header in enumerate(headers)}
    indexes = {}
    missing = []
    for target, header in mapping.items():
        index = by_header.get(normalise_header(header or ""))
        if index is None:
            if target in required:
                missing.append(header or target)
            continue
        indexes[target] = index
    for target in required:
        if target not in mapping:
            missing.append(target)
    if missing:
        raise AddressImportError(
            "missing_columns",
            columns=", ".join(missing),
            found=", ".join(h for h in headers if h),
        )
    return indexes


def extract_rows(rows, indexes):
    """Dicts of target values per row (only mapped targets)."""
    return [{target: row[index] for target, index in indexes.items()} for row in rows]


# ----------------------------------------------------------------------
# Normalisation and keys
# ----------------------------------------------------------------------
def strip_accents(value):
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("ß", "ss")


def _words(value):
    return re.sub(r"[^a-z0-9]+", " ", strip_accents(value).casefold()).split()


def normalise_name(value):
    """Lower case, no accents/punctuation, no legal form: "Müller & Co. AG" → "muller"."""
    words = [word for word in _words(value) if word not in LEGAL_FORMS]
    return " ".join(words) or " ".join(_words(value))


def normalise_street(value):
    """ "Bahnhofstr. 1" and "Bahnhofstrasse 1" give the same key."""
    text = strip_accents(value or "").casefold()
    text = re.sub(r"(?<=[a-z])(str|strasse)\b\.?", " strasse", text)
    words = [STREET_ABBREVIATIONS.get(word, word) for word in re.sub(r"[^a-z0-9]+", " ", text).split()]
    return " ".join(words)


def normalise_zip(value):
    text = re.sub(r"\s+", "", str(value or "")).upper()
    text = re.sub(r"^(CH|FL|LI)-?", "", text)
    return text


def normalise_email(value):
    return (value or "").strip().lower()


def compact_uid(value):
    """``CHE123456789`` from a UID or a Swiss VAT number, or ``""`` when it is not one."""
    text = re.sub(r"[^A-Z0-9]", "", (value or "").upper())
    if text.startswith("CHE") and len(text) >= 12:
        return text[:12]
    return ""


def validate_uid(value):
    """Formatted UID (CHE-123.456.789) or raise AddressImportError."""
    compact = compact_uid(value)
    try:
        return swiss_identifiers.format_uid(compact or value)
    except swiss_identifiers.IdentifierError as error:
        raise AddressImportError("invalid_uid", uid=value) from error


def name_key(name, zip_code, street):
    name, zip_code, street = normalise_name(name), normalise_zip(zip_code), normalise_street(street)
    if not (name and zip_code and street):
        return ""
    return f"{name}|{zip_code}|{street}"


def match_keys(values):
    """Keys of a row or a partner (dict with uid, vat, email, name, zip, street): uid, email, name."""
    return {
        "uid": compact_uid(values.get("uid")) or compact_uid(values.get("vat")),
        "email": normalise_email(values.get("email")),
        "name": name_key(values.get("name"), values.get("zip"), values.get("street")),
    }


def clean_row(values, country_codes=()):
    """``(cleaned values, None)`` or ``(None, (reason code, params))``; ``country_codes`` upper-case ISO codes."""
    cleaned = {key: (value or "").strip() for key, value in values.items()}
    if not cleaned.get("name"):
        return None, ("empty_name", {})
    if cleaned.get("uid"):
        try:
            cleaned["uid"] = validate_uid(cleaned["uid"])
        except AddressImportError:
            return None, ("invalid_uid", {"uid": cleaned["uid"]})
    if cleaned.get("vat") and cleaned["vat"].upper().startswith("CHE"):
        try:
            validate_uid(cleaned["vat"])
        except AddressImportError:
            return None, ("invalid_vat", {"vat": cleaned["vat"]})
        if cleaned.get("uid") and compact_uid(cleaned["vat"]) != compact_uid(cleaned["uid"]):
            return None, ("vat_uid_mismatch", {"vat": cleaned["vat"], "uid": cleaned["uid"]})
        if swiss_identifiers.is_valid_vat(cleaned["vat"]):
            cleaned["vat"] = swiss_identifiers.format_vat(cleaned["vat"])
    if cleaned.get("email"):
        cleaned["email"] = normalise_email(cleaned["email"])
        if not EMAIL_RE.match(cleaned["email"]):
            return None, ("invalid_email", {"email": cleaned["email"]})
    if cleaned.get("country"):
        code = cleaned["country"].upper()
        if country_codes and code not in country_codes:
            return None, ("unknown_country", {"country": cleaned["country"]})
        cleaned["country"] = code
    if "is_company" in cleaned:
        cleaned["is_company"] = cleaned["is_company"].lower() in TRUE_WORDS
    return cleaned, None


def reason_text(reason):
    """English text of a ``(code, params)`` reason."""
    code, params = reason
    return MESSAGES[code] % params


# ----------------------------------------------------------------------
# Matching and diff
# ----------------------------------------------------------------------
def build_index(candidates):
    """``{kind: {key: [ids]}}`` from ``{id: keys dict}`` of existing partners."""
    index = {"uid": {}, "email": {}, "name": {}}
    for partner_id, keys in candidates.items():
        for kind, key in keys.items():
            if key:
                index[kind].setdefault(key, []).append(partner_id)
    return index


def match_row(keys, index):
    """``(status, partner id or None, matched by, reason)``; UID/VAT first, then e-mail, then name.

    The first kind of key present in the index decides: one partner → update, several → ambiguous.
    """
    for kind in ("uid", "email", "name"):
        key = keys.get(kind)
        if not key:
            continue
        found = index[kind].get(key) or []
        if len(found) == 1:
            return "update", found[0], kind, None
        if len(found) > 1:
            return "ambiguous", None, kind, ("ambiguous", {"count": len(found), "kind": kind, "key": key})
    return "new", None, "", None


def diff_values(current, incoming):
    """``{field: (old, new)}`` for the incoming non-empty values that differ from the current ones.

    An empty incoming cell never erases a value.
    """
    changes = {}
    for field, new in incoming.items():
        if new in ("", None):
            continue
        old = current.get(field)
        if isinstance(new, str):
            if (old or "").strip() != new.strip():
                changes[field] = (old or "", new)
        elif old != new:
            changes[field] = (old, new)
    return changes


def rows_to_csv(header, rows):
    """CSV bytes (UTF-8 with BOM, for Excel) of the given rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
