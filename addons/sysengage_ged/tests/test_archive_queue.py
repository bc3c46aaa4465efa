"""Posting queues the archive; the archive job renders, signs, chains and stamps the head once per batch."""

import base64
import socket
import time
from unittest.mock import patch

import psycopg2

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.sysengage_ged.models import account_move as ged_account_move
from odoo.addons.sysengage_ged.models.account_move import AccountMove as GedAccountMove
from odoo.addons.sysengage_ged.tools import rfc3161

from .common import SysengageGedCommon


@tagged("post_install", "-at_install")
class TestGedArchiveQueue(SysengageGedCommon):
    with_pki = True

    def setUp(self):
        super().setUp()
        self.enterContext(self.allow_pdf_render())
        self.Archive = self.env["sysengage.ged.archive"]
        self.Queue = self.env["sysengage.ged.archive.queue"]
        self.cron = self.env.ref("sysengage_ged.ir_cron_sysengage_ged_archive_pending")

    def _count_calls(self, owner, name):
        """Patch ``owner.name`` to count its calls (still running it); return the list of calls."""
        calls = []
        original = getattr(owner, name)

        def counting(*args, **kwargs):
            calls.append(args)
            return original(*args, **kwargs)

        self.enterContext(patch.object(owner, name, counting))
        return calls

    def _findings(self, archive):
        return archive._ged_verify()[archive]

    def _errors(self, archive):
        return [msg for level, msg in self._findings(archive) if level == "error"]

    def test_posting_only_queues_the_archive(self):
        renders = self._count_calls(GedAccountMove, "_sysengage_ged_render_pdf")
        authority = self._count_calls(rfc3161, "request_timestamp")
        triggers_before = self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)])
        invoice = self._ged_invoice(post=True, archive=False)
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.sysengage_ged_archive_ids, "nothing archived in the posting transaction")
        self.assertEqual((len(renders), len(authority)), (0, 0), "no rendering, no authority call at posting")
        self.assertEqual(self.Queue.search([("move_id", "=", invoice.id)]).trigger, "post")
        self.assertTrue(invoice.sysengage_ged_archive_pending)
        self.assertFalse(invoice.sysengage_ged_archived)
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]),
            triggers_before,
            "the archive job is woken up by the posting",
        )
        # the pending invoice is not reported as an invoice missing its archive
        self.assertEqual(self.Archive._ged_verify_company_chain(self.env.company), [])
        self._ged_run_archive_job()
        self.assertFalse(invoice.sysengage_ged_archive_pending)
        self.assertTrue(invoice.sysengage_ged_archived)
        self.assertFalse(self.Queue.search([("move_id", "=", invoice.id)]))
        self.assertEqual(len(renders), 1)

    def test_second_worker_woken_when_more_than_a_batch_waits(self):
        second = self.env.ref("sysengage_ged.ir_cron_sysengage_ged_archive_pending_2")
        self.assertEqual(second.code, self.cron.code, "the same job, in a second scheduled action")

        def triggers():
            Trigger = self.env["ir.cron.trigger"]
            return (
                Trigger.search_count([("cron_id", "=", self.cron.id)]),
                Trigger.search_count([("cron_id", "=", second.id)]),
            )

        self.Queue.sudo().search([])._ged_done()  # an empty queue
        before = triggers()
        with patch.object(ged_account_move, "ARCHIVE_BATCH_SIZE", 1):
            self._ged_invoice(post=True, archive=False)
            one = triggers()
            self.assertEqual(one[0], before[0] + 1, "one batch waiting: the job is woken up")
            self.assertEqual(one[1], before[1], "one batch waiting: one worker is enough")
            self._ged_invoice(post=True, archive=False)
            two = triggers()
        self.assertEqual(two[0], one[0] + 1)
        self.assertEqual(two[1], one[1] + 1, "more than one batch waiting: the second worker is woken up too")

    def test_one_authority_call_per_batch_and_per_file_verification(self):
        invoices = self.env["account.move"].browse()
        for _index in range(3):
            invoices |= self._ged_invoice(post=True, archive=False)
        authority = self._count_calls(rfc3161, "request_timestamp")
        self._ged_run_archive_job()
        archives = invoices.sysengage_ged_archive_ids.sorted("sequence")
        self.assertEqual(len(archives), 3)
        self.assertEqual(len(authority), 1, "one token for the whole batch")
        stamp = archives.timestamp_id
        self.assertEqual(len(stamp), 1)
        self.assertEqual(set(archives.mapped("state")), {"timestamped"})
        self.assertEqual((stamp.sequence, stamp.chain_hash), (archives[-1].sequence, archives[-1].chain_hash))
        self.assertEqual(stamp.archive_count, 3)
        self.assertFalse(any(archives.mapped("timestamp_token")), "no per-file token any more")
        for archive in archives:
            findings = self._findings(archive)
            self.assertFalse([msg for level, msg in findings if level != "ok"], findings)
            self.assertTrue(any(f"Covered by timestamp #{stamp.id}" in msg for _level, msg in findings), findings)
        # the verification dialog says which timestamp covers each archive
        action = archives.action_verify()
        wizard = self.env["sysengage.ged.archive.verify"].browse(action["res_id"])
        self.assertEqual(wizard.error_count, 0)
        self.assertEqual(wizard.result.count(f"Covered by timestamp #{stamp.id}"), 3)

    def test_batch_timestamp_detects_altered_file(self):
        archives = self._stamped_archives()
        archive = archives[0]
        raw = base64.b64decode(archive.datas)
        position = raw.index(b"obj") + 20
        forged = raw[:position] + bytes([raw[position] ^ 0x20]) + raw[position + 1 :]
        self._tamper(SQL("UPDATE sysengage_ged_archive SET datas = %s WHERE id = %s", forged, archive.id))
        self.assertTrue(any("File altered" in e for e in self._errors(archive)))
        # a forged hash to match the forged file breaks the path to the timestamped head
        self._tamper(SQL("UPDATE sysengage_ged_archive SET sha256 = %s WHERE id = %s", "ab" * 32, archive.id))
        errors = self._errors(archive)
        self.assertTrue(any("timestamped head" in e for e in errors), errors)
        self.assertFalse(self._errors(archives[1]), "the others stay proven")

    def test_batch_timestamp_detects_altered_head(self):
        archives = self._stamped_archives()
        stamp = archives.timestamp_id
        self._tamper(
            SQL("UPDATE sysengage_ged_archive_timestamp SET chain_hash = %s WHERE id = %s", "cd" * 32, stamp.id),
            table="sysengage_ged_archive_timestamp",
            trigger="sysengage_ged_archive_timestamp_guard",
        )
        for archive in archives:
            errors = self._errors(archive)
            self.assertTrue(any("does not cover the recorded chain head" in e for e in errors), errors)
            self.assertTrue(any("timestamped head" in e for e in errors), errors)

    def test_batch_timestamp_detects_missing_tail(self):
        archives = self._stamped_archives()
        broken = f"timestamped head (position {archives[-1].sequence}) is broken at position {archives[1].sequence}"
        first = archives[0]
        self._tamper(SQL("DELETE FROM sysengage_ged_archive WHERE id IN %s", tuple(archives[1:].ids)))
        errors = self._errors(first)
        self.assertTrue(any(broken in e for e in errors), errors)

    def _stamped_archives(self):
        invoices = self._ged_invoice(post=True, archive=False) | self._ged_invoice(post=True, archive=False)
        self._ged_run_archive_job()
        archives = invoices.sysengage_ged_archive_ids.sorted("sequence")
        self.assertEqual(len(archives.timestamp_id), 1)
        for archive in archives:
            self.assertFalse(self._errors(archive))
        return archives

    def test_posting_never_waits_for_the_authority(self):
        # an authority that accepts the connection and never answers (the worst case for a caller)
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        self.addCleanup(silent.close)
        self.env.company.sysengage_ged_tsa_url = f"http://127.0.0.1:{silent.getsockname()[1]}/tsa"
        start = time.monotonic()
        invoices = self._ged_invoice(post=True, archive=False) | self._ged_invoice(post=True, archive=False)
        self.assertLess(time.monotonic() - start, 5, "posting does not wait for the authority (10 s timeout)")
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        # the authority down (nothing listens there): the job archives anyway, the entries wait
        self.env.company.sysengage_ged_tsa_url = "http://127.0.0.1:1/tsa"
        self._ged_run_archive_job()
        waiting = invoices.sysengage_ged_archive_ids
        self.assertEqual(len(waiting), 2)
        self.assertEqual(set(waiting.mapped("state")), {"to_timestamp"})
        self.assertIn("unreachable", waiting[0].timestamp_error)
        self.assertFalse(any(invoices.mapped("sysengage_ged_archive_pending")))
        # back up: the next run stamps the new head, which covers the entries that waited
        self.env.company.sysengage_ged_tsa_url = self.pki.tsa_url
        later = self._ged_invoice(post=True)
        archives = (invoices | later).sysengage_ged_archive_ids.sorted("sequence")
        self.assertEqual(set(archives.mapped("state")), {"timestamped"})
        self.assertEqual(len(archives.timestamp_id), 1)
        self.assertEqual(archives.timestamp_id.sequence, archives[-1].sequence)
        for archive in archives:
            self.assertFalse([msg for level, msg in self._findings(archive) if level != "ok"])

    def test_reset_to_draft_while_pending_archives_the_posted_state_first(self):
        invoice = self._ged_invoice(post=True, archive=False)
        invoice.button_draft()
        first = invoice.sysengage_ged_archive_ids
        self.assertRecordValues(first, [{"version": 1, "trigger": "post", "kind": "pdf"}])
        self.assertFalse(invoice.sysengage_ged_archive_pending)
        invoice.invoice_line_ids.price_unit = 150.0
        invoice.action_post()
        invoice.invalidate_recordset()
        self.assertTrue(invoice.sysengage_ged_archive_pending)
        self.assertFalse(invoice.sysengage_ged_archived, "the archive of the former posted state is not current")
        self._ged_run_archive_job()
        archives = invoice.sysengage_ged_archive_ids.sorted("sequence")
        self.assertEqual(archives.mapped("version"), [1, 2])
        self.assertEqual(archives[1].previous_hash, archives[0].chain_hash)
        self.assertEqual(set(archives.mapped("state")), {"timestamped"})
        self.assertEqual(self.Archive._ged_verify_company_chain(self.env.company), [])

    def test_print_of_a_pending_invoice_is_its_archive_rendering(self):
        invoice = self._ged_invoice(post=True, archive=False)
        renders = self._count_calls(GedAccountMove, "_sysengage_ged_render_pdf")
        printed = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids)[0]
        )
        self.assertEqual(len(renders), 0, "one rendering for the print and the archive")
        archive = invoice.sysengage_ged_archive_ids
        self.assertRecordValues(archive, [{"trigger": "post", "kind": "pdf", "version": 1}])
        self.assertEqual(archive.event_ids.mapped("event_type"), ["print"])
        self.assertFalse(invoice.sysengage_ged_archive_pending)
        self.assertTrue(printed.startswith(b"%PDF"))
        self._ged_run_archive_job()
        self.assertEqual(archive.state, "timestamped")
        self.assertEqual(invoice.sysengage_ged_archive_ids, archive, "the job does not archive it again")

    def test_queue_kept_by_the_archive_job_only(self):
        invoice = self._ged_invoice(post=True, archive=False)
        row = self.Queue.search([("move_id", "=", invoice.id)])
        # no group may change the queue (access rules), and not even the superuser outside the job
        with self.assertRaises(UserError):  # an AccessError is a UserError
            row.with_user(self.ged_manager).unlink()
        with self.assertRaises(UserError):  # an AccessError is a UserError
            row.with_user(self.ged_manager).write({"attempts": 0})
        with self.assertRaisesRollback(UserError, "archive job only"):
            row.sudo().unlink()
        with self.assertRaisesRollback(UserError, "archive job only"):
            row.sudo().write({"attempts": 0})
        with self.assertRaisesRollback(UserError, "by being posted only"):
            self.Queue.sudo().create({"company_id": self.env.company.id, "move_id": invoice.id})
        # whoever may post cannot read the queue without Documents manager rights
        self.assertTrue(row.with_user(self.ged_manager).read(["move_id"]))
        self.assertFalse(self.Queue.browse().with_user(self.ged_user).has_access("read"))
        stamp = self._stamped_archives().timestamp_id
        with self.assertRaises(UserError):  # an AccessError is a UserError
            stamp.with_user(self.ged_manager).write({"sequence": 1})
        with self.assertRaisesRollback(UserError, "cannot be changed"):
            stamp.sudo().write({"sequence": 1})
        with self.assertRaisesRollback(UserError, "cannot be deleted"):
            stamp.sudo().unlink()
        with self.assertRaisesRollback(UserError, "archive job only"):
            self.env["sysengage.ged.archive.timestamp"].sudo().create(
                {"company_id": self.env.company.id, "sequence": 99, "chain_hash": "0" * 64}
            )
        # nor SQL: the database refuses to change or delete a timestamp
        for query in (
            SQL("UPDATE sysengage_ged_archive_timestamp SET chain_hash = %s WHERE id = %s", "0" * 64, stamp.id),
            SQL("DELETE FROM sysengage_ged_archive_timestamp WHERE id = %s", stamp.id),
            SQL("TRUNCATE sysengage_ged_archive_timestamp CASCADE"),
        ):
            with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute(query)

    def test_unrenderable_invoice_stays_queued_with_its_error(self):
        good = self._ged_invoice(post=True, archive=False)
        bad = self._ged_invoice(post=True, archive=False)
        original = GedAccountMove._sysengage_ged_render_pdf

        def render(moves):
            if bad in moves:
                raise UserError(self.env._("QR-bill payload refused"))
            return original(moves)

        with patch.object(GedAccountMove, "_sysengage_ged_render_pdf", render):
            self._ged_run_archive_job()
        self.assertTrue(good.sysengage_ged_archived)
        self.assertFalse(bad.sysengage_ged_archive_ids)
        row = self.Queue.search([("move_id", "=", bad.id)])
        self.assertRecordValues(row, [{"attempts": 1, "error": "QR-bill payload refused"}])
        self._ged_run_archive_job()
        self.assertTrue(bad.sysengage_ged_archived)

    def _queue_for_sending(self, *invoices):
        """What a user's "Send & Print" of several invoices does: core's send job sends them in the background."""
        self.customer.email = "buchhaltung@mueller-haustechnik.example.ch"
        author = {"author_user_id": self.env.user.id, "author_partner_id": self.env.user.partner_id.id}
        for invoice in invoices:
            invoice.sending_data = author

    def _run_send_job(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: float("inf")):
            self.env["account.move"].with_context(force_report_rendering=True)._cron_account_move_send()
        self.env.invalidate_all()

    def test_send_job_sends_an_invoice_once_archived_with_its_archive(self):
        send_cron = self.env.ref("account.ir_cron_account_move_send")
        archived = self._ged_invoice(post=True)
        waiting = self._ged_invoice(post=True, archive=False)
        self._queue_for_sending(archived, waiting)
        renders = self._count_calls(GedAccountMove, "_sysengage_ged_render_pdf")
        self._run_send_job()
        self.assertFalse(archived.sending_data, "the archived invoice is sent")
        self.assertTrue(archived.is_move_sent)
        self.assertTrue(waiting.sending_data, "the invoice waiting for its archive waits to be sent")
        self.assertFalse(waiting.invoice_pdf_report_id)
        self.assertFalse(waiting.sysengage_ged_archive_ids)
        self.assertEqual(len(renders), 0, "the send rendered nothing: the archived invoice is sent with its archive")
        self.assertEqual(archived.invoice_pdf_report_id.raw, base64.b64decode(archived.sysengage_ged_archive_ids.datas))
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", send_cron.id)])
        self._ged_run_archive_job()
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", send_cron.id)]),
            triggers,
            "the archive job wakes the send job up for the invoices it archived",
        )
        self._run_send_job()
        self.assertFalse(waiting.sending_data)
        self.assertTrue(waiting.is_move_sent)
        archive = waiting.sysengage_ged_archive_ids
        self.assertRecordValues(archive, [{"trigger": "post", "signed": True}])
        self.assertEqual(waiting.invoice_pdf_report_id.raw, base64.b64decode(archive.datas), "the signed archive sent")
        self.assertEqual(len(renders), 1, "one rendering for the archive and the send")
        self.assertEqual(archive.event_ids.mapped("event_type"), ["send"])

    def test_send_job_sends_an_invoice_whose_archive_failed(self):
        invoice = self._ged_invoice(post=True, archive=False)
        self._queue_for_sending(invoice)

        def refuse(moves):
            raise UserError(self.env._("QR-bill payload refused"))

        with patch.object(GedAccountMove, "_sysengage_ged_render_pdf", refuse):
            self._ged_run_archive_job()
        row = self.Queue.search([("move_id", "=", invoice.id)])
        self.assertEqual(row.attempts, 1)
        # the send job does not wait for an archive that failed; the archive failing again at the send
        # neither undoes the send nor stops the job, and the invoice stays queued with the error
        with (
            patch.object(
                type(self.Archive), "_ged_archive_batch", lambda *args: (_ for _ in ()).throw(UserError("no signer"))
            ),
            mute_logger("odoo.addons.sysengage_ged.models.account_move_send"),
        ):
            self._run_send_job()
        self.assertFalse(invoice.sending_data)
        self.assertTrue(invoice.is_move_sent)
        self.assertFalse(invoice.sysengage_ged_archive_ids)
        self.assertRecordValues(row, [{"attempts": 2, "error": "no signer"}])
        self._ged_run_archive_job()
        self.assertTrue(invoice.sysengage_ged_archived)

    def test_a_run_past_its_time_leaves_the_worker_to_the_other_jobs(self):
        invoice = self._ged_invoice(post=True, archive=False)
        calls = []

        def time_is_up(cron, processed=0, *, remaining=None, deactivate=False):
            calls.append((processed, remaining))
            return 0

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", time_is_up):
            self.Archive._cron_ged_archive_pending()
        self.assertFalse(invoice.sysengage_ged_archive_ids, "nothing done in a run called past its time")
        self.assertEqual(calls[-1], (0, 1), "what is left is reported: the scheduler runs the job again at once")
        self._ged_run_archive_job()
        self.assertTrue(invoice.sysengage_ged_archived)
