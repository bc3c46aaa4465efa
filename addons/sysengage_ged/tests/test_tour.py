from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestGedTour(HttpCase):
    def test_upload_on_customer_and_find_in_documents(self):
        partner = self.env["res.partner"].create({"name": "Tour Bau AG", "is_company": True})
        self.start_tour(f"/odoo/contacts/{partner.id}", "sysengage_ged_upload_tour", login="admin")
        document = self.env["sysengage.ged.document"].search([("file_name", "=", "site-report.txt")])
        self.assertEqual((document.res_model, document.res_id), ("res.partner", partner.id))
        self.assertEqual(document.version, 1)
