"""The archive job with real commits: exactly once, restart after a crash mid-batch, two workers.

Each run takes queue rows with ``FOR UPDATE SKIP LOCKED``, archives and commits batch by batch, then
asks the authority once per batch for a token over the chain head.
"""

import threading
import time
import uuid
from collections import defaultdict
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.sysengage_base.tests.common import SysengageCommittedCase
from odoo.addons.sysengage_ged.models.account_move import AccountMove as GedAccountMove
from odoo.addons.sysengage_ged.models.sysengage_ged_archive import SysengageGedArchive
from odoo.addons.sysengage_ged.tests.testing_pki import LoopbackPKI
from odoo.addons.sysengage_ged.tools import rfc3161

from .test_archive_concurrency import _small_pdf, threads_run

INVOICE_COUNT = 10
BATCH_SIZE = 2


@tagged("post_install", "-at_install")
class TestArchiveJob(SysengageCommittedCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pki = LoopbackPKI()
        cls.pki.start()
        cls.addClassCleanup(cls.pki.close)

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            self.company_id = company.id
            self.company_was = {
                "sysengage_ged_archive_enabled": company.sysengage_ged_archive_enabled,
                "sysengage_ged_tsa_url": company.sysengage_ged_tsa_url,
            }
            company.write({"sysengage_ged_archive_enabled": True, "sysengage_ged_tsa_url": self.pki.tsa_url})
            self.last_ids = {}
            for table in ("sysengage_ged_archive_head", "sysengage_ged_archive_timestamp"):
                cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
                self.last_ids[table] = cr.fetchone()[0]
            journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")], limit=1)
            customer = env["res.partner"].create(
                {"name": f"Archive Job AG {uuid.uuid4().hex[:6]}", "is_company": True, "customer_rank": 1}
            )
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "journal_id": journal.id,
                        "partner_id": customer.id,
                        "invoice_date": date(2026, 3, 15),
                        "invoice_line_ids": [
                            Command.create({"name": f"Wartung {index}", "price_unit": 100.0 + index, "tax_ids": []})
                        ],
                    }
                    for index in range(INVOICE_COUNT)
                ]
            )
            self.invoice_ids = invoices.ids
            self.customer_id = customer.id
        self.addCleanup(self._cleanup)
        # the posting, committed: only queue rows, the archive job does the rest
        with self.registry.cursor() as cr:
            self._env(cr)["account.move"].browse(self.invoice_ids).action_post()
        self.enterContext(patch.object(GedAccountMove, "_sysengage_ged_render_pdf", _small_pdf))

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            moves = env["account.move"].browse(self.invoice_ids)
            # test data only: the archive guards are lifted by the database owner, as the security
            # documentation says it can, to remove what this test archived
            env.flush_all()
            tables = ("sysengage_ged_archive", "sysengage_ged_archive_head", "sysengage_ged_archive_timestamp")
            for table in tables:
                cr.execute(SQL("ALTER TABLE %s DISABLE TRIGGER USER", SQL.identifier(table)))
            cr.execute(SQL("DELETE FROM sysengage_ged_archive WHERE move_id IN %s", tuple(moves.ids)))
            for table, last_id in self.last_ids.items():
                cr.execute(SQL("DELETE FROM %s WHERE id > %s", SQL.identifier(table), last_id))
            cr.execute(SQL("DELETE FROM sysengage_ged_archive_queue WHERE move_id IN %s", tuple(moves.ids)))
            for table in tables:
                cr.execute(SQL("ALTER TABLE %s ENABLE TRIGGER USER", SQL.identifier(table)))
            env.invalidate_all()
            moves.filtered(lambda move: move.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.customer_id).unlink()
            env["res.company"].browse(self.company_id).write(self.company_was)

    def _run_job(self):
        with self.registry.cursor() as cr:
            self._env(cr)["sysengage.ged.archive"]._cron_ged_archive_pending(batch_size=BATCH_SIZE)

    def _state(self):
        """``(archives per move, chain problems, sequences, queued, states)`` as committed."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env["res.company"].browse(self.company_id)
            archives = env["sysengage.ged.archive"].search([("move_id", "in", self.invoice_ids)], order="sequence")
            per_move = defaultdict(int)
            for archive in archives:
                per_move[archive.move_id.id] += 1
            return {
                "per_move": dict(per_move),
                "problems": env["sysengage.ged.archive"]._ged_verify_company_chain(company),
                "sequences": archives.mapped("sequence"),
                "queued": env["sysengage.ged.archive.queue"].search_count([("move_id", "in", self.invoice_ids)]),
                "states": set(archives.mapped("state")),
                "stamps": len(archives.timestamp_id),
                "errors": [
                    msg
                    for archive, findings in archives._ged_verify().items()
                    for level, msg in findings
                    if level == "error"
                ],
            }

    def _assert_archived_once(self, state):
        self.assertEqual(state["per_move"], dict.fromkeys(self.invoice_ids, 1), "each invoice archived exactly once")
        sequences = state["sequences"]
        self.assertEqual(sequences, list(range(sequences[0], sequences[0] + len(sequences))), "no gap")
        self.assertEqual(state["problems"], [])
        self.assertEqual(state["queued"], 0)
        self.assertEqual(state["states"], {"timestamped"})
        self.assertEqual(state["errors"], [])

    def test_crash_mid_batch_then_rerun(self):
        chain = SysengageGedArchive._ged_chain
        batches = []

        def chain_then_crash(archive_model, company, items):
            archives = chain(archive_model, company, items)
            batches.append(archives)
            if len(batches) == 2:
                # the second batch's entries are written (not committed) when the worker dies
                raise RuntimeError(f"worker killed after {len(archives)} entries")
            return archives

        with patch.object(SysengageGedArchive, "_ged_chain", chain_then_crash):
            with self.assertRaisesRegex(RuntimeError, "worker killed"):
                self._run_job()
        state = self._state()
        self.assertEqual(len(state["per_move"]), BATCH_SIZE, "the first batch was committed, the second rolled back")
        self.assertEqual(state["queued"], INVOICE_COUNT - BATCH_SIZE)
        self.assertEqual(state["states"], {"timestamped"}, "the committed batch got its timestamp")
        # a crash after a batch is committed, before its timestamp: the batch waits, the rerun stamps it
        with patch.object(SysengageGedArchive, "_ged_timestamp_company", side_effect=RuntimeError("killed")):
            with self.assertRaisesRegex(RuntimeError, "killed"):
                self._run_job()
        state = self._state()
        self.assertEqual(len(state["per_move"]), 2 * BATCH_SIZE)
        self.assertIn("to_timestamp", state["states"])
        calls = []

        def counting(*args, **kwargs):
            calls.append(args)
            return rfc3161_request(*args, **kwargs)

        rfc3161_request = rfc3161.request_timestamp
        with patch.object(rfc3161, "request_timestamp", counting):
            self._run_job()
        self._assert_archived_once(self._state())
        self.assertEqual(len(calls), (INVOICE_COUNT - 2 * BATCH_SIZE) // BATCH_SIZE, "one authority call per batch")

    def test_two_workers_keep_the_chain_contiguous(self):
        rendered = defaultdict(list)

        def slow_render(moves):
            rendered[threading.current_thread().name].extend(moves.ids)
            time.sleep(0.2)  # long enough for the other worker to take the next rows
            return _small_pdf(moves)

        barrier = threading.Barrier(2)
        errors = []

        def worker():
            try:
                barrier.wait(timeout=30)
                self._run_job()
            except Exception as error:  # reported by the test
                errors.append(error)

        threads = [threading.Thread(target=worker, name=f"archive-worker-{index}") for index in range(2)]
        with threads_run(threads, slow_render):
            self.assertFalse(errors, errors)
        self.assertEqual(len(rendered), 2, "both workers took batches")
        first, second = (set(ids) for ids in rendered.values())
        self.assertFalse(first & second, "SKIP LOCKED: no invoice taken by both workers")
        self.assertEqual(first | second, set(self.invoice_ids))
        # a worker that found the other stamping the head woke the job up again: that run stamps the rest
        self._run_job()
        self._assert_archived_once(self._state())
