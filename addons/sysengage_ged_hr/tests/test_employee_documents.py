import base64

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.sysengage_ged.tests.common import SysengageGedCommon


@tagged("post_install", "-at_install")
class TestEmployeeDocuments(SysengageGedCommon):
    def _document(self, record, name):
        return self.env["sysengage.ged.document"].create(
            {
                "res_model": record._name,
                "res_id": record.id,
                "file_name": name,
                "datas": base64.b64encode(b"Signed employment contract"),
            }
        )

    def test_documents_on_employee(self):
        self.env.user.group_ids += self.env.ref("hr.group_hr_user")
        employee = self.env["hr.employee"].create({"name": "Lea Favre"})
        document = self._document(employee, "contrat-travail.txt")
        self.assertEqual(employee.sysengage_ged_document_count, 1)
        self.assertEqual(document.res_reference, employee)
        linkable = self.env["sysengage.ged.document"]._get_linkable_models()
        self.assertTrue({"hr.employee", "resource.resource"} <= set(linkable))
        self.assertEqual(document.folder_id, self.env.ref("sysengage_ged.sysengage_ged_folder_employees"))
        action = employee.action_sysengage_ged_documents()
        self.assertEqual(self.env["sysengage.ged.document"].search(action["domain"]), document)
        # a document user who may not read employees does not see their documents
        outsider = new_test_user(self.env, login="ged_no_hr", groups="base.group_user,sysengage_ged.group_user")
        self.assertNotIn(document, self.env["sysengage.ged.document"].with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            document.with_user(outsider).read(["name"])

    def test_documents_on_resource(self):
        self.env.user.group_ids += self.env.ref("hr.group_hr_user")
        resource = self.env["resource.resource"].create(
            {"name": "Delivery van VD 123 456", "resource_type": "material"}
        )
        document = self._document(resource, "carte-grise.txt")
        self.assertEqual(resource.sysengage_ged_document_count, 1)
        self.assertEqual(document.folder_id, self.env.ref("sysengage_ged.sysengage_ged_folder_resources"))
