import base64

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.sysengage_ged.tests.common import SysengageGedCommon


@tagged("post_install", "-at_install")
class TestSaleOrderDocuments(SysengageGedCommon):
    def test_documents_on_offer(self):
        self.env.user.group_ids += self.env.ref("sales_team.group_sale_salesman")
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        document = self.env["sysengage.ged.document"].create(
            {
                "res_model": "sale.order",
                "res_id": order.id,
                "file_name": "signed-offer.txt",
                "datas": base64.b64encode(b"Offer accepted, signed 27.11."),
            }
        )
        self.assertEqual(order.sysengage_ged_document_count, 1)
        # the bridge makes offers a kind of record documents belong to ("Belongs To" of the form)
        self.assertEqual(document.res_reference, order)
        self.assertNotIn("sale.order", self.env["sysengage.ged.document"]._get_annex_models())
        self.assertEqual(document.folder_id, self.env.ref("sysengage_ged.sysengage_ged_folder_offers"))
        action = order.action_sysengage_ged_documents()
        self.assertEqual(self.env["sysengage.ged.document"].search(action["domain"]), document)
        outsider = new_test_user(self.env, login="ged_no_sale", groups="base.group_user,sysengage_ged.group_user")
        self.assertFalse(self.env["sale.order"].with_user(outsider).has_access("read"))
        self.assertNotIn(document, self.env["sysengage.ged.document"].with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            document.with_user(outsider).read(["name"])
