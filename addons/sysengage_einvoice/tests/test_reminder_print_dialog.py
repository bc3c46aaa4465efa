from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.sysengage_base.tests.print_common import FakeCupsMixin

from .common import EinvoiceCommon


@tagged("post_install", "-at_install")
class TestReminderPrintDialog(EinvoiceCommon, FakeCupsMixin):
    """The print dialog of sysengage_base on payment reminders: Print menu, reminder letter, copies, e-mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls.env.ref("sysengage_einvoice.report_sysengage_reminder")
        cls.customer.email = "accounting@muster.example.ch"
        cls.invoice = cls._post_invoice(invoice_date="2026-10-01", invoice_date_due="2026-10-31")
        with freeze_time("2026-11-10 08:00:00"):
            cls.reminder = cls.env["sysengage.reminder"]._create_due_reminders()

    def _dialog(self, **vals):
        action = self.env.ref("sysengage_einvoice.sysengage_print_wizard_action_reminder")
        context = {"active_model": "sysengage.reminder", "active_ids": self.reminder.ids, "active_id": self.reminder.id}
        form = Form(self.env[action.res_model].with_context(**context))
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save()

    def test_print_dialog_in_the_print_menu_of_reminders(self):
        self.assertEqual(len(self.reminder), 1)
        bindings = self.env["ir.actions.actions"].get_bindings("sysengage.reminder")["report"]
        self.assertIn(
            self.env.ref("sysengage_einvoice.sysengage_print_wizard_action_reminder").id,
            [item["id"] for item in bindings],
        )

    def test_reminder_printed_in_copies(self):
        self._install_fake_lp()
        self.env["sysengage.print.profile"].create(
            {"report_id": self.report.id, "copies": 2, "printer_name": "Accounting"}
        )
        wizard = self._dialog(copies=3)
        self.assertEqual(wizard.report_id, self.report)
        self.assertEqual((wizard.mode, wizard.printer_name), ("printer", "Accounting"))
        wizard.action_print()
        args, content = self._printed()
        self.assertEqual(args[:4], ["-d", "Accounting", "-n", "3"])
        # the reminder letter (in test mode Odoo renders the report's HTML instead of calling wkhtmltopdf)
        self.assertIn(self.invoice.name.encode(), content)

    def test_reminder_opened_in_the_browser(self):
        action = self._dialog(mode="browser").action_print()
        self.assertEqual(action["url"], f"/report/pdf/{self.report.report_name}/{self.reminder.id}")

    def test_reminder_sent_by_email(self):
        action = self._dialog(mode="email").action_print()
        composer = self.env["mail.compose.message"].browse(action["res_id"])
        self.assertEqual(composer.partner_ids, self.customer)
        self.assertEqual(len(composer.attachment_ids), 1)
        self.assertTrue(composer.attachment_ids.name.endswith(".pdf"))
        self.assertIn(self.invoice.name.encode(), composer.attachment_ids.raw)
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            composer.action_send_mail()
        self.assertIn(self.customer, self.reminder.message_ids[:1].partner_ids)
