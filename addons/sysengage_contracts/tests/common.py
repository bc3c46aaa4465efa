from datetime import date

from odoo import Command

from odoo.addons.sysengage_base.tests.common import SysengageCommittedCase, SysengageCommon


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


class ContractsCommittedCase(SysengageCommittedCase):
    """Committed running contracts of one customer, for the crons' crash and concurrency tests.

    ``_create_committed_contracts`` commits them (one service line each) and registers their deletion.
    """

    def _create_committed_contracts(self, customer_name, contracts_vals):
        """``contracts_vals``: one dict per contract, its ``price_unit`` for the line and any contract values."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company, journal = self._committed_sale_journal(env)
            customer = self._committed_customer(env, customer_name)
            product = env["product.product"].create({"name": f"{customer_name} service", "type": "service"})
            values = []
            for vals in contracts_vals:
                vals = dict(vals)
                line = {"product_id": product.id, "quantity": 1, "price_forced": True, "tax_ids": [Command.clear()]}
                line["price_unit"] = vals.pop("price_unit")
                values.append(
                    {
                        "partner_id": customer.id,
                        "company_id": company.id,
                        "journal_id": journal.id,
                        "currency_id": journal.currency_id.id or company.currency_id.id,
                        "date_start": date(2026, 1, 1),
                        "line_ids": [Command.create(line)],
                        **vals,
                    }
                )
            contracts = env["sysengage.contract"].create(values)
            contracts.action_start()
            self.contract_ids = contracts.ids
            self.customer_id = customer.id
            self.product_id = product.id
        self.addCleanup(self._delete_committed_contracts)
        return self.contract_ids

    def _delete_committed_contracts(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            lines = env["account.move.line"].search([("sysengage_contract_id", "in", self.contract_ids)])
            lines.move_id.unlink()
            contracts = env["sysengage.contract"].browse(self.contract_ids)
            contracts.activity_ids.unlink()
            contracts.write({"state": "draft", "next_period_start": False})
            contracts.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.customer_id).unlink()
