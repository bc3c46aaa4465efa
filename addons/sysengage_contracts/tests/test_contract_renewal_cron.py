"""The renewal cron in batches: batching in a test transaction, then crash/re-run and two workers
with real, committed transactions (like ``test_contract_cron_concurrency``)."""

import threading
from datetime import date
from unittest.mock import patch

from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import tagged

from odoo.addons.sysengage_contracts.models.sysengage_contract_billing import SysengageContract

from .common import ContractsCommittedCase, SysengageContractsCommon

REFERENCE_DATE = date(2026, 10, 1)  # the 3-month notice before 31.12.2026 has passed
RENEWED_END = date(2027, 12, 31)
RENEWED_NOTE = "Renewed automatically"
TO_RENEW = "Contract to renew"


class SimulatedCrash(Exception):
    pass


@tagged("post_install", "-at_install")
class TestContractRenewalBatches(SysengageContractsCommon):
    def _run(self, batch_size):
        calls = []

        def progress(cron, processed=0, remaining=None, deactivate=False):
            calls.append((processed, remaining))
            return 1.0

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", progress):
            self.env["sysengage.contract"]._cron_update_renewals(batch_size=batch_size, reference_date=REFERENCE_DATE)
        return calls

    def test_batches_renew_flag_and_end_once(self):
        end = date(2026, 12, 31)
        tacit = [self._create_contract(date_end=end, auto_renew=True, renewal_months=12) for _i in range(3)]
        manual = [self._create_contract(date_end=end, auto_renew=False) for _i in range(2)]
        later = self._create_contract(date_end=date(2027, 6, 30), auto_renew=True)
        # ended on 30.09.2026 and fully invoiced: terminated by the second phase
        ended = self._create_contract(start=date(2026, 9, 1), date_end=date(2026, 9, 30), notice_months=0)
        ended._generate_invoices(date(2026, 9, 1))
        self.assertFalse(ended.next_invoice_date)
        calls = self._run(batch_size=2)
        self.assertGreaterEqual(len(calls), 3, "five contracts in batches of two, then the ended one")
        self.assertTrue(all(processed <= 2 for processed, _remaining in calls))
        self.assertEqual(calls[-1][1], 0, "nothing remains at the end")
        for contract in tacit:
            self.assertEqual(contract.date_end, RENEWED_END)
            self.assertEqual(contract.state, "running")
        for contract in manual:
            self.assertEqual(contract.state, "to_renew")
            self.assertEqual(contract.activity_ids.mapped("summary"), [TO_RENEW])
        self.assertEqual(later.date_end, date(2027, 6, 30), "its notice deadline has not passed")
        self.assertEqual(ended.state, "terminated")
        # a second run the same day changes nothing: no second renewal, no second activity
        self._run(batch_size=2)
        for contract in tacit:
            self.assertEqual(contract.date_end, RENEWED_END)
            self.assertEqual(len(contract.message_ids.filtered(lambda m: RENEWED_NOTE in (m.body or ""))), 1)
        for contract in manual:
            self.assertEqual(len(contract.activity_ids), 1)


@tagged("post_install", "-at_install")
class TestContractRenewalConcurrency(ContractsCommittedCase):
    def setUp(self):
        super().setUp()
        contract_ids = self._create_committed_contracts(
            "Renewal Test AG",
            [
                {
                    "date_end": date(2026, 12, 31),
                    "notice_months": 3,
                    "auto_renew": auto,
                    "renewal_months": 12,
                    "price_unit": 10.0,
                }
                for auto in (True, True, True, False, False, False)
            ],
        )
        self.tacit_ids = contract_ids[:3]
        self.manual_ids = contract_ids[3:]

    def _run_cron(self, batch_size):
        with self.registry.cursor() as cr:
            self._env(cr)["sysengage.contract"]._cron_update_renewals(
                batch_size=batch_size, reference_date=REFERENCE_DATE
            )

    def _assert_exactly_once(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            for contract in env["sysengage.contract"].browse(self.tacit_ids):
                self.assertEqual(contract.date_end, RENEWED_END, f"{contract.name}: renewed once")
                notes = contract.message_ids.filtered(lambda m: RENEWED_NOTE in (m.body or ""))
                self.assertEqual(len(notes), 1, f"{contract.name}: one renewal note")
            for contract in env["sysengage.contract"].browse(self.manual_ids):
                self.assertEqual(contract.state, "to_renew")
                self.assertEqual(contract.activity_ids.mapped("summary"), [TO_RENEW], f"{contract.name}: one activity")

    def test_crash_then_rerun(self):
        original = SysengageContract._process_renewals
        calls = []

        def crashing(records, reference_date):
            original(records, reference_date)
            calls.append(records.ids)
            if len(calls) == 2:
                # the second batch is renewed in the transaction: the worker dies now
                raise SimulatedCrash

        with (
            patch.object(SysengageContract, "_process_renewals", crashing),
            self.assertRaises(SimulatedCrash),
        ):
            self._run_cron(batch_size=2)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            ends = env["sysengage.contract"].browse(self.tacit_ids).mapped("date_end")
            self.assertEqual(ends.count(RENEWED_END), 2, "only the committed first batch survives the crash")
        self._run_cron(batch_size=2)
        self._assert_exactly_once()
        self._run_cron(batch_size=2)
        self._assert_exactly_once()

    def test_two_workers(self):
        barrier = threading.Barrier(2)
        errors = []
        handled = []
        original = SysengageContract._process_renewals

        def counting(records, reference_date):
            handled.extend(records.ids)
            return original(records, reference_date)

        def worker():
            try:
                barrier.wait(timeout=30)
                self._run_cron(batch_size=1)
            except Exception as error:
                errors.append(error)

        # as in test_contract_cron_concurrency: the runner holds the registry lock, use a dummy one
        with (
            patch.object(SysengageContract, "_process_renewals", counting),
            patch.object(Registry, "_lock", DummyRLock()),
        ):
            threads = [threading.Thread(target=worker, name=f"renewal-worker-{i}") for i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        self.assertFalse(errors, errors)
        mine = [contract_id for contract_id in handled if contract_id in self.contract_ids]
        self.assertEqual(sorted(mine), sorted(self.contract_ids), "each contract handled by exactly one worker")
        self._assert_exactly_once()
