import os
import stat
import tempfile
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SysengageCommon
from .print_common import FAKE_LP

FAILING_LP = """#!/bin/sh
echo "lp: The printer or class does not exist." >&2
exit 1
"""
FAKE_LPSTAT = """#!/bin/sh
echo "Office_Laser accepting requests since Fri 27 Nov 2026 08:00:00 CET"
echo "Reception accepting requests since Fri 27 Nov 2026 08:00:00 CET"
"""


@tagged("post_install", "-at_install")
class TestPrintProfile(SysengageCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sysengage_base.group_manager")
        cls.report = cls.env.ref("account.account_invoices")
        cls.customer = cls._create_customer("Print AG")
        cls.invoice = cls._create_invoice(cls.customer, [(cls._create_service(), 2, 100.0)], post=True)
        cls.profile = cls.env["sysengage.print.profile"].create(
            {"report_id": cls.report.id, "copies": 3, "printer_name": "Office_Laser"}
        )

    def setUp(self):
        super().setUp()
        self.bin_dir = tempfile.mkdtemp(prefix="sg_fake_cups_")
        self.addCleanup(self._cleanup_bin)
        path_patch = patch.dict(os.environ, {"PATH": self.bin_dir})
        path_patch.start()
        self.addCleanup(path_patch.stop)

    def _cleanup_bin(self):
        for name in os.listdir(self.bin_dir):
            os.remove(os.path.join(self.bin_dir, name))
        os.rmdir(self.bin_dir)

    def _install(self, name, script):
        path = os.path.join(self.bin_dir, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(script % {"dir": self.bin_dir} if "%(dir)s" in script else script)
        os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC | stat.S_IXGRP | stat.S_IXOTH)

    def _wizard(self, records, **vals):
        wizard = (
            self.env["sysengage.print.wizard"]
            .with_context(active_model=records._name, active_ids=records.ids)
            .create({"report_id": self.report.id, **vals})
        )
        return wizard

    def _events(self, record, event_type):
        return self.env["sysengage.event"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id), ("event_type", "=", event_type)]
        )

    def test_wizard_defaults_from_profile(self):
        wizard = self._wizard(self.invoice)
        self.assertEqual(wizard.profile_id, self.profile)
        self.assertEqual((wizard.mode, wizard.printer_name, wizard.copies), ("printer", "Office_Laser", 3))
        self.profile.send_by_email = True
        self.assertEqual(self._wizard(self.invoice).mode, "email")
        self.profile.write({"send_by_email": False, "printer_name": False})
        self.assertEqual(self._wizard(self.invoice).mode, "download")

    def test_print_on_printer_with_copies(self):
        self._install("lp", FAKE_LP)
        self._wizard(self.invoice).action_print()
        with open(os.path.join(self.bin_dir, "args.txt"), encoding="utf-8") as handle:
            args = handle.read().split("\n")
        self.assertEqual(args[:4], ["-d", "Office_Laser", "-n", "3"])
        self.assertTrue(os.path.getsize(os.path.join(self.bin_dir, "printed.pdf")) > 0)
        event = self._events(self.invoice, "print")
        self.assertEqual(len(event), 1)
        self.assertIn("Office_Laser", event.description)
        self.assertIn("3", event.description)

    def test_copies_changed_in_wizard(self):
        self._install("lp", FAKE_LP)
        self._wizard(self.invoice, copies=1).action_print()
        with open(os.path.join(self.bin_dir, "args.txt"), encoding="utf-8") as handle:
            self.assertEqual(handle.read().split("\n")[2:4], ["-n", "1"])

    def test_attachment_created_on_print(self):
        self._install("lp", FAKE_LP)
        domain = [("res_model", "=", "account.move"), ("res_id", "=", self.invoice.id), ("name", "=like", "%.pdf")]
        before = self.env["ir.attachment"].search_count(domain)
        self._wizard(self.invoice).action_print()
        self.assertEqual(self.env["ir.attachment"].search_count(domain), before)
        self.profile.attach_pdf = True
        self._wizard(self.invoice).action_print()
        self.assertEqual(self.env["ir.attachment"].search_count(domain), before + 1)

    def test_attachment_per_record_when_several_printed(self):
        self._install("lp", FAKE_LP)
        self.profile.attach_pdf = True
        second = self._create_invoice(self.customer, [(self._create_service(), 1, 50.0)], post=True)
        invoices = self.invoice | second
        self._wizard(invoices).action_print()
        for invoice in invoices:
            attachments = self.env["ir.attachment"].search(
                [("res_model", "=", "account.move"), ("res_id", "=", invoice.id), ("mimetype", "=", "application/pdf")]
            )
            self.assertTrue(attachments, invoice.name)
            self.assertEqual(len(self._events(invoice, "print")), 1)

    def test_partner_customer_sheet(self):
        self._install("lp", FAKE_LP)
        wizard = (
            self.env["sysengage.print.wizard"]
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({"mode": "printer", "printer_name": "Reception"})
        )
        sheet = self.env.ref("sysengage_base.res_partner_sysengage_report_sheet")
        self.assertEqual(wizard.report_id, sheet)
        wizard.action_print()
        with open(os.path.join(self.bin_dir, "printed.pdf"), "rb") as handle:
            self.assertIn(b"Print AG", handle.read())
        self.assertEqual(len(self._events(self.customer, "print")), 1)

    def test_no_lp_clear_error(self):
        with self.assertRaisesRegex(UserError, "lp"):
            self._wizard(self.invoice).action_print()
        self.assertFalse(self._events(self.invoice, "print"))

    def test_printer_failure_clear_error(self):
        self._install("lp", FAILING_LP)
        with self.assertRaisesRegex(UserError, "does not exist"):
            self._wizard(self.invoice).action_print()

    def test_list_printers(self):
        with self.assertRaisesRegex(UserError, "lpstat"):
            self.profile.action_check_printer()
        self._install("lpstat", FAKE_LPSTAT)
        self.assertEqual(self.env["sysengage.print.profile"]._list_printers(), ["Office_Laser", "Reception"])
        self.assertEqual(self.profile.action_check_printer()["params"]["type"], "success")
        self.profile.printer_name = "Basement"
        with self.assertRaisesRegex(UserError, "Basement"):
            self.profile.action_check_printer()

    def test_download_mode_returns_report_action(self):
        action = self._wizard(self.invoice, mode="download").action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], self.report.report_name)

    def test_browser_mode_opens_the_pdf_for_the_local_printer(self):
        second = self.invoice.copy()
        action = self._wizard(self.invoice | second, mode="browser").action_print()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["url"], f"/report/pdf/{self.report.report_name}/{self.invoice.id},{second.id}")
        self.assertTrue(self._events(self.invoice, "print"))

    def test_email_mode_opens_composer_with_pdf(self):
        self.profile.send_by_email = True
        action = self._wizard(self.invoice).action_print()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = self.env["mail.compose.message"].browse(action["res_id"])
        self.assertEqual(len(composer.attachment_ids), 1)
        self.assertTrue(composer.attachment_ids.name.endswith(".pdf"))
        self.assertEqual(composer.partner_ids, self.customer)
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            composer.action_send_mail()
        event = self._events(self.invoice, "send")
        self.assertEqual(len(event), 1)
        self.assertIn(composer.attachment_ids.name or ".pdf", event.description)

    def test_email_one_document_at_a_time(self):
        second = self._create_invoice(self.customer, [(self._create_service(), 1, 50.0)], post=True)
        with self.assertRaises(UserError):
            self._wizard(self.invoice | second, mode="email").action_print()

    def test_profile_per_company(self):
        other = self.env["res.company"].create({"name": "Other Print SA"})
        other_profile = self.env["sysengage.print.profile"].create(
            {"report_id": self.report.id, "company_id": other.id, "copies": 5}
        )
        profiles = self.env["sysengage.print.profile"].sudo()
        self.assertEqual(profiles._get_profile(self.report, self.company), self.profile)
        self.assertEqual(profiles._get_profile(self.report, other), other_profile)
        user = self._create_user("sg_print_user", "sysengage_base.group_user")
        visible = self.env["sysengage.print.profile"].with_user(user).search([("report_id", "=", self.report.id)])
        self.assertEqual(visible, self.profile)

    def test_copies_validated(self):
        with self.assertRaises(ValidationError):
            self.profile.copies = 150
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["sysengage.print.profile"].create({"report_id": self.report.id, "copies": 1})
            self.env.flush_all()

    def test_access(self):
        user = self._create_user("sg_print_user2", "sysengage_base.group_user")
        manager = self._create_user("sg_print_manager", "sysengage_base.group_manager")
        self.profile.with_user(user).read(["copies"])
        with self.assertRaises(AccessError):
            self.profile.with_user(user).write({"copies": 2})
        self.profile.with_user(manager).write({"copies": 2})
        self.assertEqual(self.profile.copies, 2)
