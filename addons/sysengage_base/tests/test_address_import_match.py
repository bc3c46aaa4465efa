from odoo.tests import tagged

from .test_address_import_common import UID_1, UID_2, UID_3, UID_4, AddressImportCommon


@tagged("post_install", "-at_install")
class TestAddressImportMatch(AddressImportCommon):
    """UID/VAT first, then e-mail, then normalised name + ZIP + street; ambiguous and rejected rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.by_uid = cls._create_customer("Alpha Holding AG", company_registry=UID_1, email="alpha@example.ch")
        cls.by_vat = cls._create_customer("Beta AG", vat=f"{UID_2} MWST", email="beta@example.ch")
        cls.by_email = cls._create_customer("Gamma GmbH", email="office@gamma.ch")
        cls.by_name = cls._create_customer("Müller & Co. AG", street="Bahnhofstrasse 12", zip="3011", email=False)

    def _row(self, name="", uid="", email="", street="", zip_code="", city="", country="CH"):
        return [name, uid, email, street, zip_code, city, country]

    def _one(self, row):
        return self._analyse(self._csv([row]))[0]

    def test_match_by_uid(self):
        result = self._one(self._row("Alpha Holding", UID_1.replace("-", "").replace(".", ""), "new@alpha.ch"))
        self.assertEqual(
            (result["status"], result["partner_id"], result["match_by"]), ("update", self.by_uid.id, "uid")
        )
        self.assertEqual(result["changes"]["email"], ("alpha@example.ch", "new@alpha.ch"))
        self.assertEqual(result["changes"]["name"], ("Alpha Holding AG", "Alpha Holding"))

    def test_match_by_vat_number(self):
        result = self._one(self._row("Beta AG", UID_2, "beta@example.ch"))
        self.assertEqual(
            (result["status"], result["partner_id"], result["match_by"]), ("update", self.by_vat.id, "uid")
        )
        self.assertIn("uid", result["changes"])

    def test_uid_wins_over_email(self):
        result = self._one(self._row("Alpha Holding AG", UID_1, "office@gamma.ch"))
        self.assertEqual(result["partner_id"], self.by_uid.id)

    def test_match_by_email(self):
        result = self._one(self._row("Gamma GmbH", "", "OFFICE@Gamma.ch", "Seestrasse 1", "8002", "Zürich"))
        self.assertEqual(
            (result["status"], result["partner_id"], result["match_by"]), ("update", self.by_email.id, "email")
        )
        self.assertEqual(result["changes"]["street"], ("Bahnhofstrasse 1", "Seestrasse 1"))
        self.assertNotIn("email", result["changes"])

    def test_match_by_normalised_name_zip_street(self):
        result = self._one(self._row("MUELLER und Co", "", "", "Bahnhofstr. 12", "CH-3011", "Bern"))
        self.assertEqual(result["status"], "new")  # "Mueller" is not "Müller" → no match
        result = self._one(self._row("müller co", "", "", "Bahnhofstr. 12", "CH-3011", "Bern"))
        self.assertEqual(
            (result["status"], result["partner_id"], result["match_by"]), ("update", self.by_name.id, "name")
        )
        self.assertEqual(result["changes"]["city"], ("Zürich", "Bern"))

    def test_unchanged(self):
        result = self._one(self._row("Gamma GmbH", "", "office@gamma.ch", "Bahnhofstrasse 1", "8001", "Zürich"))
        self.assertEqual(result["status"], "unchanged")
        self.assertFalse(result["changes"])

    def test_empty_cell_never_erases(self):
        result = self._one(self._row("Gamma GmbH", "", "office@gamma.ch", "", "", ""))
        self.assertEqual(result["status"], "unchanged")

    def test_new(self):
        result = self._one(self._row("Delta SA", UID_3, "delta@example.ch", "Rue Neuve 1", "1003", "Lausanne"))
        self.assertEqual((result["status"], result["partner_id"], result["match_by"]), ("new", False, ""))

    def test_ambiguous(self):
        self._create_customer("Epsilon One AG", email="shared@epsilon.ch")
        self._create_customer("Epsilon Two AG", email="shared@epsilon.ch")
        result = self._one(self._row("Epsilon AG", "", "shared@epsilon.ch"))
        self.assertEqual(result["status"], "ambiguous")
        self.assertIn("2 partners share the same email", result["reason"])

    def test_duplicate_row_in_file(self):
        rows = [self._row("Zeta AG", UID_4, "z@zeta.ch"), self._row("Zeta AG bis", UID_4, "z2@zeta.ch")]
        results = self._analyse(self._csv(rows))
        self.assertEqual([r["status"] for r in results], ["new", "rejected"])
        self.assertIn("line 2", results[1]["reason"])

    def test_rejection_reasons(self):
        rows = [
            self._row("", "", "a@example.ch"),
            self._row("Bad UID AG", "CHE-123.456.789"),
            self._row("Bad Mail AG", "", "not-an-email"),
            self._row("Far Away Ltd", "", "far@example.com", country="XX"),
            self._row("Mismatch AG", UID_3, "m@example.ch"),
        ]
        header = ["Firma", "UID", "E-Mail", "Strasse", "PLZ", "Ort", "Land", "MWST"]
        rows[4] = [*rows[4], f"{UID_4} MWST"]
        self.source.column_ids = [(0, 0, {"target_field": "vat", "column_name": "MWST"})]
        results = self._analyse(self._csv([[*row, ""] if len(row) == 7 else row for row in rows], header=header))
        self.assertEqual([r["status"] for r in results], ["rejected"] * 5)
        reasons = [r["reason"] for r in results]
        self.assertIn("name is empty", reasons[0])
        self.assertIn("Invalid UID CHE-123.456.789", reasons[1])
        self.assertIn("Invalid e-mail address not-an-email", reasons[2])
        self.assertIn("Unknown country XX", reasons[3])
        self.assertIn("does not belong to the UID", reasons[4])

    def test_invalid_vat_rejected(self):
        self.source.column_ids = [(0, 0, {"target_field": "vat", "column_name": "MWST"})]
        header = ["Firma", "UID", "E-Mail", "Strasse", "PLZ", "Ort", "Land", "MWST"]
        result = self._analyse(
            self._csv([["Eta AG", "", "", "", "", "", "CH", "CHE-999.999.999 MWST"]], header=header)
        )[0]
        self.assertEqual(result["status"], "rejected")
        self.assertIn("Invalid VAT number", result["reason"])

    def test_candidates_loaded_in_one_query(self):
        """Matching 5 or 200 rows costs the same number of queries (no search per row)."""

        def count_queries(rows):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self._analyse(self._csv(rows))
            return self.env.cr.sql_log_count - start

        def rows(count):
            return [
                self._row(f"Firm {i}", "", f"firm{i}@example.ch", f"Weg {i}", f"{1000 + i}", "Ort")
                for i in range(count)
            ]

        count_queries(rows(1))  # warm the registry caches
        self.assertEqual(count_queries(rows(200)), count_queries(rows(5)))
