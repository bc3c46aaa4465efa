import json
from datetime import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, tagged

from odoo.addons.account.models.account_move import AccountMove

from .common import EinvoiceCommon
from .servers import HttpsServer

CREATED = (201, json.dumps({"id": "NWPBCID0FB909852BBC4D06AD8336AAE87D7FC9"}), "application/json")


@tagged("post_install", "-at_install")
class TestDispatch(EinvoiceCommon):
    sysengage_render_pdf = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls.env.user.tz = "Europe/Zurich"
        cls.customer.write(
            {"invoice_sending_method": "sysengage_ebill", "sysengage_ebill_recipient_id": "41105000000000001"}
        )
        cls.channel = cls._channel("ebill", ebill_biller_id="41101000001021209", api_token="t")
        cls.flow = cls.env["sysengage.dispatch.flow"].create(
            {
                "name": "eBill invoices",
                "channel_id": cls.channel.id,
                "hour": 18.5,
                "day_sat": False,
                "day_sun": False,
                "sender_name": "Sysengage Billing",
                "sender_email": "invoices@sysengage.ch",
            }
        )

    def test_next_slot_follows_days_and_hour_in_local_time(self):
        # Friday 2026-11-27 19:00 Zurich (18:00 UTC) is past 18:30: next is Monday 18:30 Zurich = 17:30 UTC
        self.assertEqual(self.flow._next_slot(datetime(2026, 11, 27, 18, 0)), datetime(2026, 11, 30, 17, 30))
        # Friday 10:00 UTC: the same day at 18:30 Zurich
        self.assertEqual(self.flow._next_slot(datetime(2026, 11, 27, 10, 0)), datetime(2026, 11, 27, 17, 30))

    @freeze_time("2026-11-27 10:00:00")
    def test_queued_at_the_flow_slot_with_recipients_and_postpone_cancel(self):
        contact = self._create_contact(self.customer, "AP", type="invoice", email="ap@muster.example.ch")
        move = self._post_invoice()
        document = self.env["sysengage.einvoice.document"]._create_for_moves(move)
        self.assertEqual(document.flow_id, self.flow)
        self.assertEqual(document.planned_date, datetime(2026, 11, 27, 17, 30))
        self.assertEqual(document.recipient_ids, contact)
        document.action_postpone()
        self.assertEqual(document.planned_date, datetime(2026, 11, 30, 17, 30))
        document.action_cancel()
        self.assertEqual(document.state, "cancelled")
        # queuing again does not duplicate the document
        self.assertEqual(self.env["sysengage.einvoice.document"]._create_for_moves(move), document)

    @freeze_time("2026-11-27 10:00:00")
    def test_queuing_wakes_the_dispatch_job_at_the_slot(self):
        cron = self.env.ref("sysengage_einvoice.ir_cron_sysengage_einvoice_send")
        Document = self.env["sysengage.einvoice.document"]

        def triggers():
            return self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).mapped("call_at")

        before = triggers()
        Document._create_for_moves(self._post_invoice() | self._post_invoice())
        self.assertEqual(triggers(), before + [datetime(2026, 11, 27, 17, 30)], "once, at the flow's slot (18:30)")
        # without a flow, the document leaves now
        self.flow.active = False
        Document._create_for_moves(self._post_invoice())
        self.assertEqual(triggers(), before + [datetime(2026, 11, 27, 17, 30), datetime(2026, 11, 27, 10, 0)])
        # a paper document leaves through a print batch, not through the job
        self.customer.invoice_sending_method = "sysengage_paper"
        self._channel("paper")
        Document._create_for_moves(self._post_invoice())
        self.assertEqual(len(triggers()), len(before) + 2)

    def test_cron_sends_due_documents_exactly_once(self):
        with freeze_time("2026-11-27 10:00:00"):
            moves = self._post_invoice() | self._post_invoice()
            documents = self.env["sysengage.einvoice.document"]._create_for_moves(moves)
        with HttpsServer([CREATED]) as server:
            self.channel.write({"url": f"{server.url}/swp/v1", "tls_ca_cert": server.cert_pem})
            with freeze_time("2026-11-27 12:00:00"):
                self.env["sysengage.einvoice.document"]._cron_send_due()
                self.assertEqual(server.requests, [], "not due before the planned time")
            with freeze_time("2026-11-27 17:31:00"):
                self.env["sysengage.einvoice.document"]._cron_send_due()
                self.env["sysengage.einvoice.document"]._cron_send_due()
                documents.action_send_now()
            self.assertEqual(len(server.requests), 2)
        self.assertEqual(set(documents.mapped("state")), {"sent"})
        self.assertEqual(
            sorted(r["headers"]["X-CORRELATION-ID"] for r in server.requests), sorted(documents.mapped("uuid"))
        )

    def test_a_locked_document_is_skipped(self):
        move = self._post_invoice()
        document = self.env["sysengage.einvoice.document"]._create_for_moves(move)
        self.assertEqual(document._sysengage_lock(), document)
        document.state = "sent"
        self.assertFalse(document._sysengage_lock())
        self.assertFalse(document._sysengage_send())

    def test_sending_method_sets_the_edi_format(self):
        with Form(self.env["res.partner"]) as form:
            form.name = "Ariba Buyer AG"
            form.invoice_sending_method = "sysengage_ariba"
            self.assertEqual(form.invoice_edi_format, "sysengage_cxml")
            form.invoice_sending_method = "sysengage_tungsten"
            self.assertEqual(form.invoice_edi_format, "ubl_bis3")

    def test_only_posted_invoices_and_configured_channels(self):
        draft = self._create_invoice(self.customer, [(self.consulting, 1, 100.0)])
        with self.assertRaisesRegex(UserError, "posted"):
            self.env["sysengage.einvoice.document"]._create_for_moves(draft)
        other = self._create_customer("Paper AG", invoice_sending_method="manual")
        with self.assertRaisesRegex(UserError, "not an e-invoice channel"):
            self.env["sysengage.einvoice.document"]._create_for_moves(self._post_invoice(partner=other))

    def test_send_wizard_queues_the_invoice(self):
        move = self._post_invoice()
        self.env["account.move.send"]._generate_and_send_invoices(move, sending_methods=["sysengage_ebill"])
        self.assertEqual(move.sysengage_einvoice_document_ids.channel_id, self.channel)

    def test_send_does_not_resynchronise_the_posted_invoice_lines(self):
        move = self._post_invoice()
        lines = [(line.id, line.display_type, line.balance) for line in move.line_ids]
        syncs = []
        original = AccountMove._sync_dynamic_lines

        def counting(moves, container):
            if not moves.env.context.get("skip_invoice_sync"):
                syncs.append(moves.ids)
            return original(moves, container)

        with patch.object(AccountMove, "_sync_dynamic_lines", counting):
            self.env["account.move.send"]._generate_and_send_invoices(move, sending_methods=["sysengage_ebill"])
        # the send wrote the invoice (its PDF, "sent", its sending data) without a synchronisation of its lines
        self.assertEqual(syncs, [])
        self.assertTrue(move.is_move_sent)
        self.assertTrue(move.invoice_pdf_report_id)
        self.assertEqual(move.message_main_attachment_id, move.invoice_pdf_report_id)
        self.assertEqual(move.sysengage_einvoice_document_ids.channel_id, self.channel)
        self.assertEqual([(line.id, line.display_type, line.balance) for line in move.line_ids], lines)

    def test_paper_print_batch(self):
        self.customer.invoice_sending_method = "sysengage_paper"
        self._channel("paper")
        moves = self._post_invoice() | self._post_invoice()
        documents = self.env["sysengage.einvoice.document"]._create_for_moves(moves)
        action = documents.action_print_batch()
        self.assertIn("/web/content/", action["url"])
        self.assertEqual(set(documents.mapped("state")), {"sent"})
        with self.assertRaisesRegex(UserError, "still to send"):
            documents.action_print_batch()

    def test_access_rights(self):
        user = self._create_user("ei_user", "sysengage_einvoice.group_user")
        move = self._post_invoice()
        document = self.env["sysengage.einvoice.document"]._create_for_moves(move)
        self.assertEqual(document.with_user(user).state, "to_send")
        document.with_user(user).action_postpone()
        with self.assertRaises(AccessError):
            self.channel.with_user(user).write({"name": "Hacked"})
        with self.assertRaises(AccessError):
            self.channel.with_user(user).read(["api_token"])
        stranger = self._create_user("ei_stranger", "base.group_user")
        with self.assertRaises(AccessError):
            document.with_user(stranger).read(["state"])

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Other SA", "currency_id": self.chf.id})
        other_channel = (
            self.env["sysengage.einvoice.channel"]
            .sudo()
            .create({"name": "Other eBill", "channel_type": "ebill", "company_id": other_company.id})
        )
        user = self._create_user("ei_mc_user", "sysengage_einvoice.group_manager")
        channels = self.env["sysengage.einvoice.channel"].with_user(user).search([])
        self.assertIn(self.channel, channels)
        self.assertNotIn(other_channel, channels)
        with self.assertRaises(AccessError):
            other_channel.with_user(user).read(["name"])
