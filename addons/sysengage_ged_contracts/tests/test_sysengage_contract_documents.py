import base64

from odoo.tests import tagged

from odoo.addons.sysengage_contracts.tests.common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractDocuments(SysengageContractsCommon):
    def test_documents_on_contract(self):
        self.env.user.group_ids += self.env.ref("sysengage_ged.group_user")
        contract = self._create_contract()
        document = self.env["sysengage.ged.document"].create(
            {
                "res_model": "sysengage.contract",
                "res_id": contract.id,
                "file_name": "contract-signed.txt",
                "datas": base64.b64encode(b"Maintenance contract, signed by both parties."),
            }
        )
        self.assertEqual(contract.sysengage_ged_document_count, 1)
        self.assertEqual(document.folder_id, self.env.ref("sysengage_ged.sysengage_ged_folder_contracts"))
        self.assertEqual(document.company_id, contract.company_id)
        action = contract.action_sysengage_ged_documents()
        self.assertEqual(action["context"]["default_res_model"], "sysengage.contract")
        self.assertEqual(self.env["sysengage.ged.document"].search(action["domain"]), document)
