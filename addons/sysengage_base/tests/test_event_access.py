from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestEventAccess(SysengageCommon):
    """Nobody creates, changes or deletes events by hand; companies see their own history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sysengage_base.group_manager")
        cls.user = cls._create_user("sg_event_user", "sysengage_base.group_user,base.group_partner_manager")
        cls.manager = cls._create_user("sg_event_manager", "sysengage_base.group_manager,base.group_partner_manager")
        cls.customer = cls._create_customer("History AG")
        cls.event = cls.env["sysengage.event"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", cls.customer.id)]
        )

    def test_users_read_events(self):
        for user in (self.user, self.manager):
            self.assertEqual(self.event.with_user(user).read(["event_type"])[0]["event_type"], "create")

    def test_users_cannot_create(self):
        vals = {"event_type": "print", "res_model": "res.partner", "res_id": self.customer.id}
        for user in (self.user, self.manager):
            with self.assertRaises(AccessError):
                self.env["sysengage.event"].with_user(user).create(vals)
        # even a user holding the ORM rights (admin, not superuser) cannot forge an event
        with self.assertRaises(AccessError):
            self.env["sysengage.event"].create(vals)

    def test_users_cannot_write_or_unlink(self):
        for user in (self.user, self.manager):
            event = self.event.with_user(user)
            with self.assertRaises(AccessError):
                event.write({"description": "forged"})
            with self.assertRaises(AccessError):
                event.unlink()
            with self.assertRaises(AccessError):
                event.change_ids.with_user(user).write({"new_value": "forged"})

    def test_superuser_cannot_change_history(self):
        event = self.event.sudo()
        with self.assertRaises(UserError):
            event.write({"description": "forged"})
        with self.assertRaises(UserError):
            event.unlink()
        self.customer.write({"city": "Genève"})
        change = self.env["sysengage.event.change"].sudo().search([("event_id.res_id", "=", self.customer.id)])
        with self.assertRaises(UserError):
            change.write({"new_value": "forged"})
        with self.assertRaises(UserError):
            change.unlink()

    def test_rpc_call_kw_refused(self):
        # the same path as an external RPC call: call_kw on the model as the user
        from odoo.service.model import call_kw

        for user in (self.user, self.manager):
            env = self.env(user=user)
            with self.assertRaises(AccessError):
                call_kw(env["sysengage.event"], "write", [self.event.ids, {"description": "forged"}], {})
            with self.assertRaises(AccessError):
                call_kw(env["sysengage.event"], "unlink", [self.event.ids], {})
            with self.assertRaises(AccessError):
                call_kw(
                    env["sysengage.event"],
                    "create",
                    [{"event_type": "print", "res_model": "res.partner", "res_id": self.customer.id}],
                    {},
                )

    def test_events_logged_as_the_acting_user(self):
        self.customer.with_user(self.user).write({"phone": "+41 21 000 00 00"})
        event = self.env["sysengage.event"].search(
            [("res_id", "=", self.customer.id), ("res_model", "=", "res.partner"), ("event_type", "=", "write")]
        )
        self.assertEqual(event.user_id, self.user)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other SA"})
        foreign = self.env["res.partner"].create({"name": "Foreign AG", "company_id": other_company.id})
        foreign_event = self.env["sysengage.event"].search(
            [("res_id", "=", foreign.id), ("res_model", "=", "res.partner")]
        )
        self.assertEqual(foreign_event.company_id, other_company)
        visible = self.env["sysengage.event"].with_user(self.user).search([("id", "=", foreign_event.id)])
        self.assertFalse(visible)
        self.user.write({"company_ids": [Command.link(other_company.id)]})
        visible = (
            self.env["sysengage.event"]
            .with_user(self.user)
            .with_context(allowed_company_ids=[self.company.id, other_company.id])
            .search([("id", "=", foreign_event.id)])
        )
        self.assertEqual(visible, foreign_event)

    def test_internal_user_without_group_sees_no_event(self):
        plain = self._create_user("sg_plain", "base.group_user")
        with self.assertRaises(AccessError):
            self.event.with_user(plain).read(["event_type"])
