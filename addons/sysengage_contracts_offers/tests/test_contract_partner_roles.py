from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from odoo.addons.sysengage_contracts.tests.common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractPartnerRoles(SysengageContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_manager")
        cls.monthly = cls._create_service(
            "Managed firewall", price=90.0, sysengage_recurring=True, sysengage_periodicity="monthly"
        )
        cls.installer_role = cls.env.ref("sysengage_offers.sysengage_offer_partner_role_installer")
        cls.installer = cls._create_customer("Elektro Meier AG")

    @freeze_time("2026-05-04")
    def test_contract_and_its_invoice_keep_the_roles_of_the_order(self):
        order = self._create_offer(
            self.customer,
            [(self.monthly, 1)],
            sysengage_partner_role_ids=[
                Command.create({"role_id": self.installer_role.id, "partner_id": self.installer.id, "note": "Site"})
            ],
        )
        order.action_confirm()
        contract = order.sysengage_contract_ids
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.sysengage_partner_role_ids.partner_id, self.installer)
        self.assertEqual(contract.sysengage_partner_role_ids.role_id, self.installer_role)
        self.assertEqual(contract.sysengage_partner_role_ids.note, "Site")
        self.assertEqual(contract.sysengage_partner_role_ids.company_id, contract.company_id)
        contract.write({"journal_id": self.journal.id, "group_invoices": False, "auto_post": False})
        contract.action_generate_invoices()
        invoice = self._invoices(contract)[:1]
        self.assertTrue(invoice)
        self.assertEqual(invoice.sysengage_partner_role_ids.partner_id, self.installer)
        # the order's roles stay where they were
        self.assertEqual(order.sysengage_partner_role_ids.partner_id, self.installer)

    def test_role_given_twice_on_a_contract(self):
        contract = self._create_contract()
        with self.assertRaises(ValidationError) as catcher:
            contract.sysengage_partner_role_ids = [
                Command.create({"role_id": self.installer_role.id, "partner_id": self.installer.id}),
                Command.create({"role_id": self.installer_role.id, "partner_id": self.installer.id}),
            ]
        self.assertIn("Elektro Meier AG is named twice as Installer", str(catcher.exception))
        self.assertFalse(contract.exists().sysengage_partner_role_ids.exists(), "nothing half-written")
