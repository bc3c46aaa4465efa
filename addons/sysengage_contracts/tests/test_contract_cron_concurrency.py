"""The cron with real, committed transactions: crash then re-run, and two workers at once.

These tests cannot run inside the usual rolled-back test transaction: each step commits in its
own cursor, like the cron does. They create their own data and delete it afterwards.
"""

import threading
from datetime import date
from unittest.mock import patch

from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import tagged

from odoo.addons.sysengage_contracts.models.sysengage_contract_billing import SysengageContract

from .common import ContractsCommittedCase

REFERENCE_DATE = date(2026, 3, 15)
PERIODS_DUE = 3  # January, February and March 2026
CONTRACT_COUNT = 14


class SimulatedCrash(Exception):
    pass


@tagged("post_install", "-at_install")
class TestContractCronConcurrency(ContractsCommittedCase):
    def setUp(self):
        super().setUp()
        self._create_committed_contracts(
            "Concurrency Test AG",
            [
                {"group_invoices": False, "auto_post": False, "price_unit": 10.0 + index}
                for index in range(CONTRACT_COUNT)
            ],
        )

    def _run_cron(self, batch_size):
        with self.registry.cursor() as cr:
            self._env(cr)["sysengage.contract"]._cron_generate_invoices(
                batch_size=batch_size, reference_date=REFERENCE_DATE
            )

    def _assert_exactly_once(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            for contract in env["sysengage.contract"].browse(self.contract_ids):
                moves = env["account.move"].search([("sysengage_contract_id", "=", contract.id)])
                starts = sorted(moves.mapped("sysengage_period_start"))
                self.assertEqual(
                    starts,
                    [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)],
                    f"{contract.name}: every period once, no gap",
                )
                self.assertEqual(contract.next_period_start, date(2026, 4, 1))
                self.assertEqual(len(moves.invoice_line_ids), PERIODS_DUE)

    def test_crash_then_rerun(self):
        original = SysengageContract._generate_invoices
        calls = []

        def crashing(records, reference_date):
            result = original(records, reference_date)
            calls.append(len(result["moves"]))
            if len(calls) == 2:
                # the second batch's invoices exist in the transaction: the worker dies now
                raise SimulatedCrash
            return result

        with (
            patch.object(SysengageContract, "_generate_invoices", crashing),
            self.assertRaises(SimulatedCrash),
        ):
            self._run_cron(batch_size=5)
        self.assertEqual(calls, [5 * PERIODS_DUE, 5 * PERIODS_DUE])
        with self.registry.cursor() as cr:
            env = self._env(cr)
            done = env["account.move"].search_count([("sysengage_contract_id", "in", self.contract_ids)])
            self.assertEqual(done, 5 * PERIODS_DUE, "only the committed first batch survives the crash")
        self._run_cron(batch_size=5)
        self._assert_exactly_once()
        # a third run finds nothing to do
        self._run_cron(batch_size=5)
        self._assert_exactly_once()

    def test_two_workers(self):
        barrier = threading.Barrier(2)
        errors = []
        batches = {}
        original = SysengageContract._generate_invoices

        def counting(records, reference_date):
            name = threading.current_thread().name
            batches.setdefault(name, []).extend(records.ids)
            return original(records, reference_date)

        def worker():
            try:
                barrier.wait(timeout=30)
                self._run_cron(batch_size=2)
            except Exception as error:
                errors.append(error)

        # the test runner holds the registry class lock while tests run; the workers' environments
        # would wait for it forever (Environment() looks the registry up), as HttpCase does, use a dummy
        with (
            patch.object(SysengageContract, "_generate_invoices", counting),
            patch.object(Registry, "_lock", DummyRLock()),
        ):
            threads = [threading.Thread(target=worker, name=f"worker-{i}") for i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        self.assertFalse(errors, errors)
        handled = [contract_id for ids in batches.values() for contract_id in ids]
        self.assertEqual(sorted(handled), sorted(self.contract_ids), "each contract handled by exactly one worker")
        self._assert_exactly_once()
