from datetime import date, datetime

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import EinvoiceCommon


@tagged("post_install", "-at_install")
class TestReminder(EinvoiceCommon):
    """Reminder levels and dates, hand-computed: invoice due on 31.10.2026, levels at 10/30/45 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "Europe/Zurich"
        cls.Reminder = cls.env["sysengage.reminder"]
        cls.levels = cls.env["sysengage.reminder.level"].search([("company_id", "=", cls.company.id)])
        cls.level_1, cls.level_2, cls.level_3 = cls.levels.sorted("delay")
        cls.customer.email = "accounting@muster.example.ch"
        cls.email_channel = cls._channel("email")
        cls.flow = cls.env["sysengage.dispatch.flow"].create(
            {
                "name": "Reminders by e-mail",
                "document_type": "reminder",
                "channel_id": cls.email_channel.id,
                "hour": 9.0,
                "day_sat": False,
                "day_sun": False,
            }
        )

    def _overdue_invoice(self, partner=None, due="2026-10-31"):
        return self._post_invoice(partner=partner, invoice_date="2026-10-01", invoice_date_due=due)

    def _run(self, day):
        with freeze_time(day):
            return self.Reminder._create_due_reminders()

    def test_default_levels_of_a_new_company(self):
        self.assertEqual(self.levels.mapped("delay"), [10, 30, 45])
        self.assertEqual(self.level_1.name, "1st reminder")
        self.assertTrue(self.level_3.is_last)
        self.assertFalse(self.level_1.is_last)
        self.assertIn("CHF 20.00", self.level_2.fee_text)

    def test_default_levels_take_the_translations_of_their_template(self):
        """Levels copied at install, before the translations were loaded, get them when they are loaded (at
        install or when a language is added); a level a user renamed keeps its name."""
        self.env["res.lang"]._activate_lang("fr_CH")
        for level in self.levels:  # as copied at install: English only
            for field_name in ("name", "fee_text", "note"):
                level.update_field_translations(field_name, {"fr_CH": False})
        self.level_3.name = "Final reminder"
        self.env["ir.module.module"]._load_module_terms(["sysengage_einvoice"], ["fr_CH"])
        self.assertEqual(self.level_1.with_context(lang="fr_CH").name, "1er rappel")
        self.assertEqual(self.level_2.with_context(lang="fr_CH").name, "2e rappel")
        self.assertEqual(
            self.level_2.with_context(lang="fr_CH").fee_text, "Des frais de rappel de CHF 20.00 seront facturés."
        )
        self.assertEqual(self.level_3.with_context(lang="fr_CH").name, "Final reminder", "renamed by the user")
        self.assertEqual(self.level_1.with_context(lang="en_US").name, "1st reminder")

    def test_levels_follow_the_delays_and_the_gaps(self):
        move = self._overdue_invoice()
        self.assertEqual(move.invoice_date_due, date(2026, 10, 31))
        self.assertFalse(self._run("2026-11-09 08:00:00"), "9 days overdue: not yet")
        first = self._run("2026-11-10 08:00:00")
        self.assertEqual(first.level_id, self.level_1)
        self.assertEqual(first.date, date(2026, 11, 10))
        # named in the customer's language and date format, as on the letter
        self.assertEqual(first.name, "1st reminder – Muster AG – 11/10/2026")
        self.env["res.lang"]._activate_lang("de_CH")
        self.customer.lang = "de_CH"
        first._compute_name()
        self.assertEqual(first.name, f"{self.level_1.with_context(lang='de_CH').name} – Muster AG – 10.11.2026")
        self.assertEqual(first.line_ids.move_id, move)
        self.assertEqual(first.line_ids.days_overdue, 10)
        self.assertEqual(first.amount_residual, move.amount_total)
        self.assertEqual(move.sysengage_reminder_level_id, self.level_1)
        self.assertEqual(move.sysengage_last_reminder_date, date(2026, 11, 10))
        # queued on the reminder flow at its next slot: Tuesday 10.11 09:00 Zurich = 08:00 UTC
        document = first.document_ids
        self.assertEqual(document.document_type, "reminder")
        self.assertEqual(document.flow_id, self.flow)
        self.assertEqual(document.planned_date, datetime(2026, 11, 10, 8, 0))
        self.assertEqual(document.partner_id, self.customer)
        self.assertEqual(document.recipient_ids, self.customer)
        document.state = "sent"
        # a partial payment before the second reminder: the open amount is what is left
        with freeze_time("2026-11-20"):
            self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
                {"amount": 100.0, "payment_date": "2026-11-20"}
            )._create_payments()
        self.assertEqual(move.payment_state, "partial")
        self.assertFalse(self._run("2026-11-29 08:00:00"), "day 29: the 2nd reminder is due on day 30")
        second = self._run("2026-11-30 08:00:00")
        self.assertEqual(second.level_id, self.level_2)
        self.assertEqual(second.line_ids.amount_residual, move.amount_total - 100.0)
        self.assertEqual(second.line_ids.days_overdue, 30)
        self.assertEqual(second.fee_text, "A reminder fee of CHF 20.00 will be charged.")
        # the fee the letter announces is the fee invoiced once the reminder is sent
        self.assertEqual((second.fee_amount, second.fee_state), (20.0, "to_invoice"))
        self.assertEqual((first.fee_amount, first.fee_state), (0.0, "none"), "the first reminder is free")
        second.document_ids.state = "sent"
        self.assertFalse(self._run("2026-12-14 08:00:00"))
        last = self._run("2026-12-15 08:00:00")
        self.assertEqual(last.level_id, self.level_3)
        last.document_ids.state = "sent"
        self.assertEqual(move.sysengage_reminder_level_id, self.level_3)
        self.assertEqual(move.sysengage_last_reminder_date, date(2026, 12, 15))
        self.assertFalse(self._run("2027-03-01 08:00:00"), "no level after the last notice")

    def test_a_late_first_reminder_does_not_trigger_the_second_the_next_day(self):
        move = self._overdue_invoice()
        first = self._run("2026-12-30 08:00:00")  # 60 days overdue, never reminded
        self.assertEqual(first.level_id, self.level_1, "levels are never skipped")
        first.document_ids.state = "sent"
        self.assertFalse(self._run("2027-01-18 08:00:00"))
        self.assertEqual(self._run("2027-01-19 08:00:00").line_ids.move_id, move)  # 20 days later

    def test_double_cron_run_reminds_once(self):
        move = self._overdue_invoice()
        with freeze_time("2026-11-10 08:00:00"):
            self.Reminder._cron_create_reminders()
            self.Reminder._cron_create_reminders()
        reminders = self.Reminder.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(reminders), 1)
        self.assertEqual(len(reminders.document_ids), 1)
        # the reminder is still waiting to go out: even 30 days later no 2nd reminder is stacked on it
        self.assertFalse(self._run("2026-12-10 08:00:00"))
        self.assertEqual(move.sysengage_reminder_line_ids.reminder_id, reminders)
        # the database refuses a second line for the same invoice and level
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["sysengage.reminder.line"].create(
                {"reminder_id": reminders.id, "move_id": move.id, "amount_residual": 1.0}
            )
            self.env.flush_all()

    def test_one_letter_per_customer_without_paid_or_blocked_invoices(self):
        move_a = self._overdue_invoice()
        move_b = self._overdue_invoice(due="2026-10-25")
        paid = self._overdue_invoice()
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=paid.ids).create(
            {"payment_date": "2026-11-01"}
        )._create_payments()
        blocked = self._overdue_invoice()
        blocked.sysengage_reminder_blocked = True
        not_due = self._overdue_invoice(due="2026-11-05")
        other = self._overdue_invoice(partner=self._create_customer("Beispiel GmbH", email="ap@beispiel.example"))
        reminders = self._run("2026-11-10 08:00:00")
        self.assertEqual(len(reminders), 2)
        mine = reminders.filtered(lambda r: r.partner_id == self.customer)
        self.assertEqual(mine.line_ids.move_id, move_b | move_a)
        self.assertEqual(mine.line_ids.mapped("days_overdue"), [16, 10])
        self.assertEqual(mine.amount_residual, move_a.amount_residual + move_b.amount_residual)
        self.assertNotIn(not_due, reminders.line_ids.move_id)
        self.assertEqual((reminders - mine).line_ids.move_id, other)

    def test_paper_customers_get_the_paper_flow(self):
        paper_flow = self.env["sysengage.dispatch.flow"].create(
            {"name": "Reminders by post", "document_type": "reminder", "channel_id": self._channel("paper").id}
        )
        self.customer.invoice_sending_method = "sysengage_paper"
        self._overdue_invoice()
        reminder = self._run("2026-11-10 08:00:00")
        self.assertEqual(reminder.document_ids.flow_id, paper_flow)

    def test_no_flow_leaves_the_reminder_unqueued(self):
        self.flow.active = False
        self._overdue_invoice()
        reminder = self._run("2026-11-10 08:00:00")
        self.assertEqual(reminder.dispatch_state, "not_queued")
        with self.assertRaisesRegex(Exception, "No dispatch flow for payment reminders"):
            reminder.action_queue()
        self.flow.active = True
        reminder.action_queue()
        self.assertEqual(reminder.dispatch_state, "to_send")

    def test_reminder_flows_take_email_or_paper_only(self):
        ebill = self._channel("ebill")
        with self.assertRaisesRegex(ValidationError, "e-mail or on paper"):
            self.env["sysengage.dispatch.flow"].create(
                {"name": "Reminders by eBill", "document_type": "reminder", "channel_id": ebill.id}
            )
        # an invoice flow on the same e-mail channel is not mistaken for the reminder flow
        invoice_flow = self.env["sysengage.dispatch.flow"].create(
            {"name": "Invoices by e-mail", "channel_id": self.email_channel.id, "sequence": 1}
        )
        self.assertEqual(self.env["sysengage.dispatch.flow"]._get_for_channel(self.email_channel), invoice_flow)
        self.assertEqual(self.env["sysengage.dispatch.flow"]._get_for_type("reminder", self.company), self.flow)

    def test_access_and_companies(self):
        self._overdue_invoice()
        reminder = self._run("2026-11-10 08:00:00")
        billing = self._create_user("rem_billing", "account.group_account_invoice")
        self.assertEqual(reminder.with_user(billing).level_id, self.level_1)
        with self.assertRaises(AccessError):
            reminder.with_user(billing).write({"fee_text": "x"})
        with self.assertRaises(AccessError):
            self.level_1.with_user(billing).write({"delay": 5})
        user = self._create_user("rem_user", "sysengage_einvoice.group_user")
        reminder.with_user(user).write({"fee_text": "No fee."})
        stranger = self._create_user("rem_stranger", "base.group_user")
        with self.assertRaises(AccessError):
            reminder.with_user(stranger).read(["name"])
        other_company = self.env["res.company"].create({"name": "Other SA", "currency_id": self.chf.id})
        other_levels = self.env["sysengage.reminder.level"].search([("company_id", "=", other_company.id)])
        self.assertEqual(other_levels.mapped("delay"), [10, 30, 45], "a new company gets the default levels")
        manager = self._create_user("rem_manager", "sysengage_einvoice.group_manager")
        visible = self.env["sysengage.reminder.level"].with_user(manager).search([])
        self.assertIn(self.level_1, visible)
        self.assertFalse(visible & other_levels)


@tagged("post_install", "-at_install")
class TestReminderLanguages(EinvoiceCommon):
    """The reminder letter is written in the customer's language (template texts of the .po files)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_FR", "de_DE"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(["sysengage_einvoice"], ["fr_FR", "de_DE"], overwrite=True)
        cls.level = cls.env["sysengage.reminder.level"].search(
            [("company_id", "=", cls.company.id)], order="delay", limit=1
        )

    def _letter(self, lang):
        customer = self._create_customer(f"Client {lang}", lang=lang)
        move = self._post_invoice(partner=customer, invoice_date="2026-10-01", invoice_date_due="2026-10-31")
        with freeze_time("2026-11-10 08:00:00"):
            reminder = self.env["sysengage.reminder"]._create_due_reminders()
        self.assertEqual(reminder.line_ids.move_id, move)
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html("sysengage_einvoice.report_sysengage_reminder", reminder.ids)[0]
            .decode()
        )

    def test_french_and_german_letters(self):
        french = self._letter("fr_FR")
        self.assertIn("Selon nos registres, les factures suivantes sont encore ouvertes", french)
        self.assertIn("Montant ouvert", french)
        self.assertIn("Meilleures salutations", french)
        german = self._letter("de_DE")
        self.assertIn("Gemäss unserer Buchhaltung sind die folgenden Rechnungen", german)
        self.assertIn("Offener Betrag", german)
        self.assertIn("Freundliche Grüsse", german)
