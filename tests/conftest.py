"""pytest configuration: make each addon's plain-Python ``tools`` package importable without Odoo.

``addons/sysengage_contracts/tools/recurrence.py`` is imported in tests as
``sysengage_contracts_tools.recurrence``; the tools packages never import the ORM.
"""

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = ROOT / "addons"


def _register_tools_packages():
    for tools_dir in sorted(ADDONS_DIR.glob("sysengage_*/tools")):
        init = tools_dir / "__init__.py"
        if not init.is_file():
            continue
        name = f"{tools_dir.parent.name}_tools"
        if name in sys.modules:
            continue
        spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(tools_dir)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


_register_tools_packages()


def _register_test_helpers():
    """Test helpers of the addons that need no Odoo (e.g. ``sysengage_ged/tests/testing_pki.py``, the
    loopback PKI), importable as ``<addon>_testing.<module>`` without importing the addon's test suite."""
    for helper in sorted(ADDONS_DIR.glob("sysengage_*/tests/testing_*.py")):
        package = f"{helper.parent.parent.name}_testing"
        if package not in sys.modules:
            package_spec = importlib.machinery.ModuleSpec(package, None, is_package=True)
            sys.modules[package] = importlib.util.module_from_spec(package_spec)
        name = f"{package}.{helper.stem}"
        spec = importlib.util.spec_from_file_location(name, helper)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


_register_test_helpers()
