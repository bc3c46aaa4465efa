import base64

from odoo import Command
from odoo.tests import tagged

from odoo.addons.sysengage_contracts.tests.common import SysengageContractsCommon
from odoo.addons.sysengage_ged.tests.common import make_pdf


@tagged("post_install", "-at_install")
class TestContractAnnexes(SysengageContractsCommon):
    """The PDF documents of a contract are printed with the invoices of that contract only."""

    def _document(self, record, text):
        return self.env["sysengage.ged.document"].create(
            {
                "res_model": record._name,
                "res_id": record.id,
                "file_name": f"{text}.pdf",
                "datas": base64.b64encode(make_pdf(text)),
                "print_with_invoice": True,
            }
        )

    def test_contract_documents_printed_with_its_invoices(self):
        self.env.user.group_ids += self.env.ref("sysengage_ged.group_user")
        Document = self.env["sysengage.ged.document"]
        self.assertIn("sysengage.contract", Document._get_annex_models())
        self.assertIn("sysengage.contract", Document._get_linkable_models())
        contract = self._create_contract()
        other = self._create_contract()
        conditions = self._document(contract, "CONDITIONS")
        self._document(other, "OTHER-CONTRACT")
        # an invoice of the contract, linked as the contract billing links it (refused to other writers)
        invoice = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "sysengage_contract_id": contract.id,
                    "invoice_line_ids": [Command.create({"name": "Hosting", "quantity": 1, "price_unit": 100.0})],
                }
            )
        )
        self.assertEqual(Document._ged_annexes(invoice.sudo(False)), conditions)
        loose = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "Hosting", "quantity": 1, "price_unit": 100.0})],
            }
        )
        self.assertFalse(Document._ged_annexes(loose), "an invoice without contract gets no contract annex")
