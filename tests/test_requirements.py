"""Every library the suite installs has tested lower and upper bounds in constraints.txt."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def _names(path):
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.append(NAME_RE.match(line).group(1))
    return names


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _constraints():
    bounds = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            bounds[_canonical(NAME_RE.match(line).group(1))] = line
    return bounds


def test_every_requirement_is_bounded():
    bounds = _constraints()
    for req in ("requirements.txt", "requirements-dev.txt"):
        for name in _names(ROOT / req):
            spec = bounds.get(_canonical(name))
            assert spec, f"{name} ({req}) has no line in constraints.txt"
            assert ">=" in spec and "<" in spec.replace("<=", ""), f"{spec}: a lower and an upper bound"


def test_requirements_carry_the_tested_bounds():
    """Each line of requirements.txt (the addons' libraries) and requirements-dev.txt (the tools of the tests) carries
    exactly the bounds of constraints.txt: installed without the constraints file, they stay within what the suite
    was run with. The addons' wheels take their dependencies from the manifests, not from these files."""
    bounds = _constraints()
    for req in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / req).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                name = NAME_RE.match(line).group(1)
                assert line == bounds.get(_canonical(name)), (
                    f"{req}: {line} (constraints.txt: {bounds.get(_canonical(name))})"
                )


def test_external_dependencies_are_required():
    """Each addon's external Python dependencies are in requirements.txt (and so bounded)."""
    required = {_canonical(name) for name in _names(ROOT / "requirements.txt")}
    for manifest in sorted(ROOT.glob("addons/sysengage_*/__manifest__.py")):
        data = ast.literal_eval(manifest.read_text(encoding="utf-8"))
        for name in data.get("external_dependencies", {}).get("python", []):
            assert _canonical(name) in required, f"{manifest.parent.name} needs {name}: add it to requirements.txt"
