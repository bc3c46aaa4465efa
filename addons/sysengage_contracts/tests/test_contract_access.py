from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractAccess(SysengageContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company_data = cls.setup_other_company(name="Filiale Genf SA")
        cls.other_company = cls.other_company_data["company"]
        cls.contract_here = cls._create_contract(start=date(2026, 1, 1))
        other_customer = cls._create_customer("Genève Services SA", company_id=cls.other_company.id)
        cls.contract_there = (
            cls.env["sysengage.contract"]
            .with_company(cls.other_company)
            .create(
                {
                    "partner_id": other_customer.id,
                    "company_id": cls.other_company.id,
                    "journal_id": cls.other_company_data["default_journal_sale"].id,
                    "date_start": date(2026, 1, 1),
                    "line_ids": [
                        Command.create({"name": "Service", "quantity": 1, "price_forced": True, "price_unit": 10.0})
                    ],
                }
            )
        )
        cls.user = cls._create_user("contract_user", "sysengage_contracts.group_user")
        cls.manager = cls._create_user("contract_manager", "sysengage_contracts.group_manager")
        cls.stranger = cls._create_user("no_contracts", "base.group_user")

    def test_user_sees_only_own_company(self):
        contracts = self.env["sysengage.contract"].with_user(self.user).search([])
        self.assertIn(self.contract_here, contracts)
        self.assertNotIn(self.contract_there, contracts)
        with self.assertRaises(AccessError):
            self.contract_there.with_user(self.user).read(["name"])
        lines = self.env["sysengage.contract.line"].with_user(self.user).search([])
        self.assertNotIn(self.contract_there.line_ids, lines)

    def test_user_with_both_companies_sees_both(self):
        self.user.company_ids = [Command.link(self.other_company.id)]
        contracts = (
            self.env["sysengage.contract"]
            .with_user(self.user)
            .with_context(allowed_company_ids=[self.company.id, self.other_company.id])
            .search([])
        )
        self.assertIn(self.contract_there, contracts)

    def test_user_rights(self):
        contract = self.contract_here.with_user(self.user)
        contract.title = "Renamed by the rep"
        with self.assertRaises(AccessError):
            contract.copy().unlink()
        with self.assertRaises(AccessError):
            self.env["sysengage.contract.template"].with_user(self.user).create({"name": "Mine"})
        self.env["sysengage.contract.template"].with_user(self.manager).create({"name": "Managed"})

    def test_user_without_group(self):
        with self.assertRaises(AccessError):
            self.env["sysengage.contract"].with_user(self.stranger).search([])

    def test_user_generates_invoices(self):
        contract = self.contract_here.with_user(self.user)
        moves = contract._generate_invoices(date(2026, 1, 1))["moves"]
        self.assertEqual(len(moves), 1)
