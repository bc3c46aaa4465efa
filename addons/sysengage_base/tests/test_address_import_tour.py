from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAddressImportTour(HttpCase):
    def test_address_import_tour(self):
        self.env["sysengage.import.source"].create({"name": "Tour Source", "strict": False})
        existing = self.env["res.partner"].create(
            {"name": "Tour Alt AG", "email": "alt@tour.ch", "street": "Alte Strasse 9", "zip": "3000", "city": "Bern"}
        )
        self.start_tour("/odoo", "sysengage_address_import_tour", login="admin")
        new = self.env["res.partner"].search([("name", "=", "Tour Neu AG")])
        self.assertEqual((new.email, new.zip, new.country_id.code), ("neu@tour.ch", "3011", "CH"))
        self.assertEqual(existing.street, "Neue Strasse 1")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Tour Falsch AG")]))
        source = self.env["sysengage.import.source"].search([("name", "=", "Tour Source")])
        self.assertEqual(
            sorted(source.column_ids.mapped("column_name")),
            ["E-Mail", "Firma", "Ort", "PLZ", "Staat", "Strasse", "UID"],
        )
        log = source.log_ids
        self.assertEqual((log.count_new, log.count_updated, log.count_rejected), (1, 1, 1))
