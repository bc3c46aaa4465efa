"""Shared Odoo bootstrap of the Sysengage benchmarks (run from the repository root, on a fresh database).

``install`` runs the ``odoo`` command of this machine to install addons; ``open_registry`` loads the
database's registry in this process (the Odoo 19 installation is importable, like the ``odoo`` command);
``rss_mb``/``peak_rss_mb`` measure this process' memory.
"""

import os
import resource
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS_PATH = str(ROOT / "addons")


def rss_mb():
    """Current resident set size of this process, in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def odoo_command(db, addons_path=ADDONS_PATH):
    """The ``odoo`` command of this machine on ``db`` alone, with the repository's configuration and addons."""
    return ["odoo", "-c", str(ROOT / "odoo.conf"), "-d", db, "--db-filter", f"^{db}$", "--addons-path", addons_path]


def install(db, modules, addons_path=ADDONS_PATH):
    """Install ``modules`` (list of names) in ``db`` with the ``odoo`` command, as an administrator would."""
    started = time.monotonic()
    subprocess.run(
        odoo_command(db, addons_path)
        + ["-i", ",".join(modules), "--stop-after-init", "--no-http", "--log-level", "warn"],
        check=True,
        cwd=ROOT,
    )
    print(f"installed {', '.join(modules)} in {time.monotonic() - started:.0f} s")


def open_registry(db, addons_path=ADDONS_PATH):
    """``(odoo, registry)`` of ``db`` loaded in this process, with the repository's configuration."""
    import odoo
    from odoo.tools import config

    config.parse_config(["-c", str(ROOT / "odoo.conf"), "-d", db, "--addons-path", addons_path, "--log-level", "warn"])
    from odoo.modules.registry import Registry

    return odoo, Registry(db)
