"""Static checks of the Sysengage addons: manifests, data files, XML, access rules, companies, translations."""

import ast
import csv
import re
from pathlib import Path

import polib
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(p for p in (ROOT / "addons").iterdir() if (p / "__manifest__.py").is_file())
ADDON_IDS = [p.name for p in ADDONS]
REQUIRED_KEYS = {
    "name",
    "summary",
    "version",
    "category",
    "website",
    "author",
    "maintainers",
    "license",
    "development_status",
    "depends",
    "data",
    "installable",
}
FORBIDDEN_DEPENDS_PREFIXES = ("contract", "base_tier_validation", "dms", "ebill_postfinance")
MODEL_NAME_RE = re.compile(r"""^\s+_name\s*=\s*["']([\w.]+)["']""", re.M)


def manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))


def models_defined(addon):
    """{model name: (source text, is transient, is abstract)} for models created (not inherited) by the addon."""
    found = {}
    for path in list((addon / "models").glob("*.py")) + list((addon / "wizards").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for cls in ast.walk(ast.parse(text)):
            if not isinstance(cls, ast.ClassDef):
                continue
            bases = {ast.unparse(b) for b in cls.bases}
            name = None
            for stmt in cls.body:
                if isinstance(stmt, ast.Assign) and any(getattr(t, "id", None) == "_name" for t in stmt.targets):
                    if isinstance(stmt.value, ast.Constant):
                        name = stmt.value.value
            if not name:
                continue
            inherit = ast.unparse(cls)
            # a class that sets _name to one of its _inherit is an extension, not a new model
            if re.search(rf"_inherit\s*=\s*[\[\(]?\s*[\"']{re.escape(name)}[\"']", inherit):
                continue
            found[name] = (ast.unparse(cls), "TransientModel" in " ".join(bases), "AbstractModel" in " ".join(bases))
    return found


def access_models(addon):
    csv_path = addon / "security" / "ir.model.access.csv"
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    return {row["model_id:id"].split(".")[-1] for row in rows}


def xml_texts(addon):
    return {p: p.read_text(encoding="utf-8") for p in addon.rglob("*.xml")}


def test_six_addons_present():
    assert set(ADDON_IDS) >= {
        "sysengage_base",
        "sysengage_offers",
        "sysengage_contracts",
        "sysengage_einvoice",
        "sysengage_ged",
        "sysengage_crm_light",
    }


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_manifest_complete(addon):
    data = manifest(addon)
    missing = REQUIRED_KEYS - set(data)
    assert not missing, f"{addon.name}: manifest lacks {sorted(missing)}"
    assert data["license"] == "LGPL-3"
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", data["version"])
    assert not [d for d in data["depends"] if d.startswith(FORBIDDEN_DEPENDS_PREFIXES)], "no OCA/AGPL dependency"
    for key in ("data", "demo"):
        for rel in data.get(key, []):
            assert (addon / rel).is_file(), f"{addon.name}: {key} file {rel} is missing"
    for folder in ("models", "views", "security", "tests", "i18n", "readme"):
        assert (addon / folder).is_dir(), f"{addon.name}: no {folder}/"
    assert (addon / "readme" / "DESCRIPTION.md").is_file()
    assert (addon / "static" / "description" / "icon.png").is_file()


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_security_files_first(addon):
    data = manifest(addon)["data"]
    seen_other = False
    for rel in data:
        if rel.startswith("security/"):
            assert not seen_other, f"{addon.name}: security file {rel} comes after other data"
        else:
            seen_other = True


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_xml_well_formed(addon):
    for path in addon.rglob("*.xml"):
        etree.parse(str(path))


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_every_model_has_access_rules(addon):
    granted = access_models(addon)
    for name, (_source, _transient, abstract) in models_defined(addon).items():
        if abstract:
            continue
        xml_id = "model_" + name.replace(".", "_")
        assert xml_id in granted, f"{addon.name}: model {name} has no line in ir.model.access.csv"


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_company_bound_models_have_company_rule(addon):
    xml = "\n".join(xml_texts(addon).values())
    for name, (source, transient, abstract) in models_defined(addon).items():
        if transient or abstract:
            continue
        if not re.search(r"\bcompany_id\s*=\s*fields\.", source):
            continue
        xml_id = "model_" + name.replace(".", "_")
        assert re.search(rf'ref="{xml_id}"', xml) and "company_ids" in xml, (
            f"{addon.name}: model {name} holds company_id but has no multi-company ir.rule"
        )


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_translations_present(addon):
    i18n = addon / "i18n"
    pot = i18n / f"{addon.name}.pot"
    assert pot.is_file(), f"{addon.name}: no {pot.name}"
    for lang in ("fr", "de", "it"):
        po = i18n / f"{lang}.po"
        assert po.is_file(), f"{addon.name}: no {lang}.po"
        text = po.read_text(encoding="utf-8")
        assert 'msgid ""' in text
        translated = re.findall(r'^msgstr "(.+)"$', text, re.M)
        assert translated, f"{addon.name}: {lang}.po translates nothing"


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_translation_entries_are_whole(addon):
    """Each PO entry stands apart (a blank line before it) and names its module, as Odoo's PO reader
    requires (an entry without ``#. module:`` stops the loading of the language); parallel additions
    joined by a merge must not glue two entries into one."""
    for path in sorted((addon / "i18n").glob("*.po*")):
        blocks = re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8").strip())
        for block in blocks[1:]:  # the first block is the header
            where = f"{path.relative_to(ROOT)}: {block.splitlines()[0]}"
            assert len(re.findall(r"^msgid ", block, re.M)) == 1, f"{where}: two entries without a blank line"
            assert re.search(r"^#\. module: ", block, re.M), f"{where}: no '#. module:' line"
            assert re.search(r"^msgstr ", block, re.M), f"{where}: no msgstr"


# terms Odoo's extractor takes from code that are technical names, not text (field names in domains)
TECHNICAL_TERM_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_po_files_follow_the_pot(addon):
    """Odoo applies a PO entry of a model term only to the records its references name: each fr/de/it entry of a
    .pot term carries the .pot's references (a field added to a model later stays English otherwise), and each
    term of the .pot that is text is translated."""
    pot = polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
    for lang in ("fr", "de", "it"):
        po = {}
        for entry in polib.pofile(str(addon / "i18n" / f"{lang}.po")):
            assert entry.msgid not in po, f"{addon.name}/i18n/{lang}.po: {entry.msgid[:60]!r} stands twice"
            po[entry.msgid] = entry
        for term in pot:
            entry = po.get(term.msgid)
            where = f"{addon.name}/i18n/{lang}.po: {term.msgid[:60]!r}"
            assert entry is not None, f"{where}: missing"
            assert set(term.occurrences) <= set(entry.occurrences), f"{where}: references differ from the .pot"
            if not TECHNICAL_TERM_RE.match(term.msgid) and "sgprobe" not in term.msgid:
                assert entry.msgstr, f"{where}: not translated"


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_no_sql_string_formatting(addon):
    pattern = re.compile(r"""\.execute\(\s*(f["']|["'][^"']*["']\s*%|["'][^"']*["']\s*\.format)""")
    for path in addon.rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), f"{path}: SQL built by string formatting"
