from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.sysengage_base.tests.print_common import FakeCupsMixin

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractPrintDialog(SysengageContractsCommon, FakeCupsMixin):
    """The print dialog of sysengage_base on contracts: Print menu, contract report, profile, copies, e-mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls.env.ref("sysengage_contracts.sysengage_contract_report")
        cls.profile = cls.env["sysengage.print.profile"].create(
            {"report_id": cls.report.id, "copies": 2, "printer_name": "Office_Laser"}
        )
        cls.customer.email = "buchhaltung@alpen-software.example.ch"
        cls.contract = cls._create_contract(title="Hosting 2026")

    def _dialog(self, **vals):
        action = self.env.ref("sysengage_contracts.sysengage_print_wizard_action_contract")
        context = {"active_model": "sysengage.contract", "active_ids": self.contract.ids, "active_id": self.contract.id}
        form = Form(self.env[action.res_model].with_context(**context))
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save()

    def test_print_dialog_in_the_print_menu_of_contracts(self):
        bindings = self.env["ir.actions.actions"].get_bindings("sysengage.contract")["report"]
        ids = [item["id"] for item in bindings]
        self.assertIn(self.env.ref("sysengage_contracts.sysengage_print_wizard_action_contract").id, ids)
        self.assertIn(self.report.id, ids, "the contract report itself is printable too")

    def test_contract_printed_with_its_profile(self):
        self._install_fake_lp()
        wizard = self._dialog()
        self.assertEqual((wizard.report_id, wizard.profile_id), (self.report, self.profile))
        self.assertEqual((wizard.mode, wizard.printer_name, wizard.copies), ("printer", "Office_Laser", 2))
        wizard.action_print()
        args, content = self._printed()
        self.assertEqual(args[:4], ["-d", "Office_Laser", "-n", "2"])
        # the contract report (in test mode Odoo renders the report's HTML instead of calling wkhtmltopdf)
        self.assertIn(self.contract.name.encode(), content)
        self.assertIn(b"Hosting 2026", content)
        events = self.env["sysengage.event"].search(
            [("res_model", "=", "sysengage.contract"), ("res_id", "=", self.contract.id), ("event_type", "=", "print")]
        )
        self.assertEqual(len(events), 1)

    def test_contract_pdf_content(self):
        html = self.env["ir.actions.report"]._render_qweb_html(self.report, self.contract.ids)[0].decode()
        self.assertIn(self.contract.name, html)
        self.assertIn("Hosting 2026", html)
        self.assertIn("Alpen Software AG", html)

    def test_contract_downloaded_and_opened_in_the_browser(self):
        action = self._dialog(mode="download").action_print()
        self.assertEqual((action["type"], action["report_name"]), ("ir.actions.report", self.report.report_name))
        action = self._dialog(mode="browser").action_print()
        self.assertEqual(action["url"], f"/report/pdf/{self.report.report_name}/{self.contract.id}")

    def test_contract_sent_by_email(self):
        action = self._dialog(mode="email").action_print()
        composer = self.env["mail.compose.message"].browse(action["res_id"])
        self.assertEqual(composer.partner_ids, self.customer)
        self.assertEqual(composer.attachment_ids.mimetype, "application/pdf")
        self.assertEqual(composer.attachment_ids.name, f"Contract - {self.contract.name}.pdf")
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            composer.action_send_mail()
        message = self.contract.message_ids[:1]
        self.assertIn(self.customer, message.partner_ids)
        self.assertEqual(message.attachment_ids.name, f"Contract - {self.contract.name}.pdf")
