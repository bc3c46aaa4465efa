from datetime import date

from odoo import Command

from odoo.addons.sysengage_base.tests.common import SysengageCommon


class SysengageContractsCommon(SysengageCommon):
    """A customer, two services and a contract factory."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the accounting test user also manages contracts
        cls.env.user.group_ids += cls.env.ref("sysengage_contracts.group_manager")
        cls.customer = cls._create_customer("Alpen Software AG")
        cls.service = cls._create_service("Hosting", price=100.0)
        cls.support = cls._create_service("Support", price=31.0)
        cls.journal = cls.company_data["default_journal_sale"]

    @classmethod
    def _create_contract(cls, lines=None, start=date(2026, 1, 1), state="running", **vals):
        """A contract; ``lines`` holds (product, qty, price) with a fixed price."""
        lines = lines or [(cls.service, 1.0, 100.0)]
        values = {
            "partner_id": cls.customer.id,
            "date_start": start,
            "journal_id": cls.journal.id,
            "group_invoices": False,
            "auto_post": False,
            "line_ids": [
                Command.create({"product_id": product.id, "quantity": qty, "price_unit": price, "price_forced": True})
                for product, qty, price in lines
            ],
        }
        values.update(vals)
        contract = cls.env["sysengage.contract"].create(values)
        if state == "running":
            contract.action_start()
        return contract

    def _invoices(self, contract):
        return (
            self.env["account.move.line"]
            .search([("sysengage_contract_id", "=", contract.id)])
            .move_id.sorted(lambda m: (m.invoice_date, m.id))
        )
