"""ISO 20022 bank-to-customer cash management messages (camt.053 statements, camt.054 debit/credit
notifications) as Swiss banks send them (Swiss Payment Standards: versions .001.04 and .001.08).

Plain Python on lxml: :func:`detect` tells the message and version from the namespace,
:func:`validate` checks a file against the published ISO 20022 schema, :func:`parse` turns it into
plain dicts. A batched booking (one ``Ntry`` with several ``TxDtls``) gives one transaction per
``TxDtls``. Only credits and debits are read; balances are kept on the statement dict.
"""

import hashlib
from decimal import Decimal
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).resolve().parent.parent / "data" / "xsd"
NAMESPACES = {
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.04": ("camt.053", "04"),
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08": ("camt.053", "08"),
    "urn:iso:std:iso:20022:tech:xsd:camt.054.001.04": ("camt.054", "04"),
    "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08": ("camt.054", "08"),
}
# Proprietary reference types Swiss banks put for QR and legacy ISR references.
_QRR_TYPES = {"QRR", "ISR REFERENCE", "ESR", "ISR", "BVR"}
_SCHEMAS = {}


class CamtError(ValueError):
    """A file that is not a readable camt.053/054 of a supported version; ``code`` says why:
    ``not_xml``, ``foreign`` (another format or version) or ``schema`` (``details`` lists the
    schema violations with their line)."""

    def __init__(self, code, message, details=()):
        super().__init__(message)
        self.code = code
        self.details = list(details)


def _parser():
    # no entities, no network: bank files are untrusted input
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=True)


def file_hash(data):
    """SHA-256 of the file bytes, the identity of an imported file."""
    return hashlib.sha256(data).hexdigest()


def load(data):
    """The parsed XML tree of ``data`` (bytes); raises :class:`CamtError` ``not_xml``."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        raise CamtError("not_xml", f"not a well-formed XML file: {error}") from error
    if root.getroottree().docinfo.doctype:
        # bank files never carry a DTD; refusing it keeps entity tricks out
        raise CamtError("foreign", "a bank file must not contain a document type declaration")
    return root


def detect(root):
    """(message, version, namespace) of a parsed camt document; raises :class:`CamtError` ``foreign``."""
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "Document" or namespace not in NAMESPACES:
        raise CamtError(
            "foreign",
            f"not a camt.053/camt.054 message of version .001.04 or .001.08 (root {root.tag})",
        )
    message, version = NAMESPACES[namespace]
    return message, version, namespace


def _schema(namespace):
    if namespace not in _SCHEMAS:
        message, version = NAMESPACES[namespace]
        path = XSD_DIR / f"{message}.001.{version}.xsd"
        _SCHEMAS[namespace] = etree.XMLSchema(etree.parse(str(path), parser=_parser()))
    return _SCHEMAS[namespace]


def validate(root):
    """Check the document against its ISO 20022 schema; raises :class:`CamtError` ``schema``."""
    _message, _version, namespace = detect(root)
    schema = _schema(namespace)
    try:
        valid = schema.validate(root)
    except etree.XMLSchemaValidateError as error:
        raise CamtError("schema", "the file could not be checked against the ISO 20022 schema") from error
    if not valid:
        details = [f"line {error.line}: {error.message}" for error in schema.error_log]
        raise CamtError("schema", "the file does not follow the ISO 20022 schema", details)


class _Reader:
    def __init__(self, namespace):
        self.ns = {"c": namespace}

    def find(self, node, path):
        return node.find(path, self.ns) if node is not None else None

    def text(self, node, path):
        found = self.find(node, path)
        return (found.text or "").strip() if found is not None and found.text else ""

    def findall(self, node, path):
        return node.findall(path, self.ns) if node is not None else []

    def amount(self, node, path):
        found = self.find(node, path)
        if found is None or not (found.text or "").strip():
            return None, None
        return Decimal(found.text.strip()), found.get("Ccy")


def _reference(reader, tx):
    """(type, reference) of the structured creditor reference of a transaction: QRR, SCOR or ''."""
    for info in reader.findall(tx, "c:RmtInf/c:Strd/c:CdtrRefInf"):
        ref = reader.text(info, "c:Ref").replace(" ", "")
        code = reader.text(info, "c:Tp/c:CdOrPrtry/c:Cd").upper()
        proprietary = reader.text(info, "c:Tp/c:CdOrPrtry/c:Prtry").upper()
        if not ref:
            continue
        if code == "SCOR" and ref.upper().startswith("RF"):
            return "SCOR", ref.upper()
        if proprietary in _QRR_TYPES or (ref.isdigit() and len(ref) == 27):
            return "QRR", ref
        if code == "SCOR":
            return "SCOR", ref.upper()
    return "", ""


def _transaction(reader, tx, entry, index, single):
    amount, currency = reader.amount(tx, "c:Amt")
    if amount is None:
        amount, currency = reader.amount(tx, "c:AmtDtls/c:TxAmt/c:Amt")
    if amount is None:
        amount, currency = reader.amount(tx, "c:AmtDtls/c:InstdAmt/c:Amt")
    if amount is None and single:
        amount, currency = entry["amount"], entry["currency"]
    # the entry says what moved on the account: its direction holds for every transaction of its batch
    indicator = entry["credit_debit"] or reader.text(tx, "c:CdtDbtInd")
    ref_type, reference = _reference(reader, tx) if tx is not None else ("", "")
    party = "c:RltdPties/c:Dbtr" if indicator == "CRDT" else "c:RltdPties/c:Cdtr"
    name = reader.text(tx, f"{party}/c:Pty/c:Nm") or reader.text(tx, f"{party}/c:Nm")
    counter_iban = reader.text(tx, f"{party}Acct/c:Id/c:IBAN")
    messages = [reader.text(node, ".") for node in reader.findall(tx, "c:RmtInf/c:Ustrd")]
    messages += [reader.text(node, ".") for node in reader.findall(tx, "c:RmtInf/c:Strd/c:AddtlRmtInf")]
    identifiers = {
        "acct_svcr_ref": reader.text(tx, "c:Refs/c:AcctSvcrRef"),
        "end_to_end_id": reader.text(tx, "c:Refs/c:EndToEndId"),
        "uetr": reader.text(tx, "c:Refs/c:UETR"),
        "tx_id": reader.text(tx, "c:Refs/c:TxId"),
    }
    return {
        "index": index,
        "amount": amount,
        "currency": currency or entry["currency"],
        "credit": indicator == "CRDT",
        "reference_type": ref_type,
        "reference": reference,
        "counterparty_name": name,
        "counterparty_iban": counter_iban,
        "message": " ".join(message for message in messages if message and message != "NOTPROVIDED"),
        **identifiers,
    }


def transaction_key(account, entry, transaction):
    """A stable identity of one booked transaction, the same whether a camt.054 or a later camt.053
    reports it: the account, the bank's own identifiers (UETR, servicer reference, end-to-end id)
    or else the entry reference with the position in the batch, and the amount."""
    own = transaction["uetr"] or transaction["acct_svcr_ref"]
    if not own:
        entry_id = entry["acct_svcr_ref"] or entry["entry_ref"] or entry["booking_date"]
        own = f"{entry_id}#{transaction['index']}#{transaction['end_to_end_id'] or transaction['reference']}"
    text = "|".join([account, own, f"{transaction['amount']}", "C" if transaction["credit"] else "D"])
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def parse(data, check_schema=True):
    """The camt message ``data`` (bytes) as a dict: message, version, msg_id, created, and
    ``statements`` (one per Stmt/Ntfctn) with ``account_iban``, ``currency``, balances and
    ``entries``; each entry has its ``transactions`` (one per TxDtls, or one for the whole entry
    when it has none). Raises :class:`CamtError` for anything else than a valid camt file."""
    root = load(data)
    message, version, namespace = detect(root)
    if check_schema:
        validate(root)
    reader = _Reader(namespace)
    body = root[0]
    result = {
        "message": message,
        "version": version,
        "msg_id": reader.text(body, "c:GrpHdr/c:MsgId"),
        "created": reader.text(body, "c:GrpHdr/c:CreDtTm"),
        "hash": file_hash(data),
        "statements": [],
    }
    for statement in reader.findall(body, "c:Stmt") + reader.findall(body, "c:Ntfctn"):
        account = reader.text(statement, "c:Acct/c:Id/c:IBAN") or reader.text(statement, "c:Acct/c:Id/c:Othr/c:Id")
        balances = {}
        for balance in reader.findall(statement, "c:Bal"):
            code = reader.text(balance, "c:Tp/c:CdOrPrtry/c:Cd")
            value, _currency = reader.amount(balance, "c:Amt")
            if value is not None and reader.text(balance, "c:CdtDbtInd") == "DBIT":
                value = -value
            balances[code] = value
        stmt = {
            "id": reader.text(statement, "c:Id"),
            "account_iban": account.replace(" ", "").upper(),
            "currency": reader.text(statement, "c:Acct/c:Ccy"),
            "balances": balances,
            "entries": [],
        }
        for node in reader.findall(statement, "c:Ntry"):
            amount, currency = reader.amount(node, "c:Amt")
            entry = {
                "entry_ref": reader.text(node, "c:NtryRef"),
                "acct_svcr_ref": reader.text(node, "c:AcctSvcrRef"),
                "amount": amount,
                "currency": currency or stmt["currency"],
                "credit_debit": reader.text(node, "c:CdtDbtInd"),
                "reversal": reader.text(node, "c:RvslInd") == "true",
                "status": reader.text(node, "c:Sts/c:Cd") or reader.text(node, "c:Sts"),
                "booking_date": reader.text(node, "c:BookgDt/c:Dt") or reader.text(node, "c:BookgDt/c:DtTm")[:10],
                "value_date": reader.text(node, "c:ValDt/c:Dt") or reader.text(node, "c:ValDt/c:DtTm")[:10],
                "info": reader.text(node, "c:AddtlNtryInf"),
            }
            details = [tx for dtls in reader.findall(node, "c:NtryDtls") for tx in reader.findall(dtls, "c:TxDtls")]
            single = len(details) <= 1
            transactions = [
                _transaction(reader, tx, entry, index, single) for index, tx in enumerate(details or [None])
            ]
            for transaction in transactions:
                if transaction["amount"] is None:
                    transaction["amount"] = entry["amount"] if single else Decimal(0)
                if not transaction["message"] and single:
                    transaction["message"] = entry["info"]
                transaction["key"] = transaction_key(stmt["account_iban"], entry, transaction)
            entry["transactions"] = transactions
            stmt["entries"].append(entry)
        result["statements"].append(stmt)
    return result
