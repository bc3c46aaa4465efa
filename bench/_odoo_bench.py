"""Shared Odoo bootstrap of the Sysengage benchmarks (run from the repository root, on a fresh database).

``install`` runs the ``odoo`` command of this machine to install addons; ``open_registry`` loads the
database's registry in this process (the Odoo 19 installation is importable, like the ``odoo`` command);
``rss_mb``/``peak_rss_mb`` measure this process' memory; ``machine_busy`` (the CPU time of the whole machine),
``steal_and_total`` (the CPU the hypervisor stole), ``machine_speed`` and ``SpeedProbe`` (a fixed workload timed
before and after a run) say how busy and how fast the shared machine was; ``running_odoo_server`` runs an Odoo
server with cron workers for a block (``check_running`` raises when it stopped).
"""

import os
import resource
import subprocess
import time
from contextlib import contextmanager
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


def _cpu_ticks():
    """CPU ticks of the whole machine (all cores) since boot, by kind: user, nice, system, idle, iowait, irq,
    softirq, steal (the first line of ``/proc/stat``; guest time is counted in user already)."""
    with open("/proc/stat") as stat:
        return [int(value) for value in stat.readline().split()[1:9]]


def machine_busy():
    """CPU seconds spent by the whole machine (all cores, all processes) since boot."""
    ticks = _cpu_ticks()
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def steal_and_total():
    """CPU ticks stolen by the hypervisor and all CPU ticks of the machine since boot."""
    ticks = _cpu_ticks()
    return ticks[7], sum(ticks)


def machine_speed():
    """Milliseconds a fixed pure-Python workload takes on one core (best of 3): the same code on a slower host
    (a shared machine's neighbours, a throttled virtual CPU) takes longer; compare runs only at equal speed."""
    best = None
    for _attempt in range(3):
        started = time.process_time()
        total = 0
        for value in range(2_000_000):
            total += value * value % 7
        elapsed = time.process_time() - started
        best = elapsed if best is None else min(best, elapsed)
    return 1000 * best


class SpeedProbe:
    """The machine speed probe timed when a run starts (``before``, in ms) and again by :meth:`report` at its end,
    with the share of the machine's CPU time the hypervisor stole in between."""

    def __init__(self):
        self.before = machine_speed()
        self.steal_before = steal_and_total()

    def stolen_percent(self):
        steal, total = steal_and_total()
        return 100 * (steal - self.steal_before[0]) / max(total - self.steal_before[1], 1)

    def report(self):
        stolen = self.stolen_percent()  # before the probe runs again: its own second is not the run's
        return (
            f"machine speed probe (a fixed pure-Python loop, best of 3, lower is faster): {self.before:.0f} ms "
            f"before the run, {machine_speed():.0f} ms after; CPU stolen by the hypervisor over the run {stolen:.1f} %"
        )


def odoo_command(db, addons_path=ADDONS_PATH):
    """The ``odoo`` command of this machine on ``db`` alone, with the repository's configuration and addons."""
    return ["odoo", "-c", str(ROOT / "odoo.conf"), "-d", db, "--db-filter", f"^{db}$", "--addons-path", addons_path]


def start_odoo_server(db, addons_path, log_path, cron_workers):
    """An Odoo server on ``db`` in prefork mode with ``cron_workers`` cron workers, each a process of its own
    (``--workers``, ``--max-cron-threads``), no time limit on a cron run. No HTTP workers: wkhtmltopdf loads the
    report styles from this process' HTTP server (``report.url``)."""
    cmd = odoo_command(db, addons_path) + [
        "--no-http",
        "--workers",
        "1",
        "--max-cron-threads",
        str(cron_workers),
        "--limit-time-real-cron",
        "0",
        "--limit-time-cpu",
        "3600",
        "--limit-time-real",
        "3600",
        "--log-level",
        "warn",
        "--log-handler",
        "odoo.addons.base.models.ir_cron:INFO",
        "--logfile",
        str(log_path),
    ]
    return subprocess.Popen(cmd, cwd=ROOT)


@contextmanager
def running_odoo_server(db, addons_path, log_path, cron_workers):
    """:func:`start_odoo_server` for the block, once its cron workers listen; stopped at the end of the block."""
    server = start_odoo_server(db, addons_path, log_path, cron_workers)
    try:
        time.sleep(8)  # the server loads the registry before its cron workers listen
        yield server
    finally:
        server.terminate()
        server.wait(timeout=60)


def check_running(server, log_path):
    """Raise when the server of :func:`running_odoo_server` stopped (its log says why)."""
    if server.poll() is not None:
        raise RuntimeError(f"the Odoo server stopped (exit code {server.poll()}): see {log_path}")


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
