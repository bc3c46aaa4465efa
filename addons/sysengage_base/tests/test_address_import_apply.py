import base64
import csv
import io
import os
import tempfile

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_address_import_common import UID_1, UID_2, UID_3, AddressImportCommon


@tagged("post_install", "-at_install")
class TestAddressImportApply(AddressImportCommon):
    """Applying the preview, logs with rejected rows, the scheduled run and access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.existing = cls._create_customer("Existing AG", company_registry=UID_1, email="old@existing.ch")
        cls.rows = [
            ["Existing AG", UID_1, "new@existing.ch", "Bahnhofstrasse 1", "8001", "Zürich", "CH"],
            ["Fresh SA", UID_2, "hello@fresh.ch", "Rue Neuve 4", "1003", "Lausanne", "CH"],
            ["Bad UID GmbH", "CHE-123.456.789", "bad@uid.ch", "Weg 1", "3000", "Bern", "CH"],
        ]

    def _partner(self, name):
        return self.env["res.partner"].search([("name", "=", name)])

    def test_wizard_flow(self):
        self.source.strict = False
        wizard = self._wizard(self._csv(self.rows))
        wizard.action_read_columns()
        self.assertEqual(wizard.state, "map")
        self.assertIn("Firma", wizard.file_columns)
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual((wizard.count_new, wizard.count_update, wizard.count_rejected), (1, 1, 1))
        update_line = wizard.line_ids.filtered(lambda line: line.status == "update")
        self.assertEqual(update_line.partner_id, self.existing)
        self.assertIn("old@existing.ch → new@existing.ch", update_line.changes)
        self.assertFalse(self._partner("Fresh SA"), "the preview writes nothing")
        wizard.action_apply()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(self.existing.email, "new@existing.ch")
        fresh = self._partner("Fresh SA")
        self.assertEqual((fresh.company_registry, fresh.city, fresh.country_id.code), (UID_2, "Lausanne", "CH"))
        self.assertFalse(self._partner("Bad UID GmbH"))
        log = wizard.log_id
        self.assertEqual(
            (log.count_total, log.count_new, log.count_updated, log.count_rejected, log.state), (3, 1, 1, 1, "done")
        )
        self.assertEqual(wizard.action_open_log()["res_id"], log.id)
        # the changes are in the event history
        event = self.env["sysengage.event"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.existing.id), ("event_type", "=", "write")]
        )
        self.assertEqual(event.change_ids.filtered(lambda c: c.field_name == "email").new_value, "new@existing.ch")

    def test_rejected_rows_downloadable(self):
        self.source.strict = False
        wizard = self._wizard(self._csv(self.rows), filename="register.csv")
        wizard.action_read_columns()
        wizard.action_preview()
        wizard.action_apply()
        log = wizard.log_id
        self.assertEqual(log.rejected_filename, "register_rejected.csv")
        content = base64.b64decode(log.rejected_file).decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(content), delimiter=";"))
        self.assertEqual(table[0][:4], ["Line", "Status", "Reason", "Firma"])
        self.assertEqual(len(table), 2)
        self.assertEqual(table[1][0], "4")
        self.assertIn("Invalid UID", table[1][2])
        self.assertEqual(table[1][3], "Bad UID GmbH")

    def test_strict_source_refuses_the_file(self):
        self.assertTrue(self.source.strict)
        wizard = self._wizard(self._csv(self.rows))
        wizard.action_read_columns()
        wizard.action_preview()
        self.assertEqual(wizard.count_rejected, 1)
        with self.assertRaisesRegex(UserError, "line 4: Invalid UID CHE-123.456.789"):
            wizard.action_apply()

    def test_apply_is_one_transaction(self):
        """A failure while writing undoes the partners already created by the same run."""
        self.source.strict = False
        rows = [
            ["One SA", UID_2, "one@example.ch", "Rue 1", "1003", "Lausanne", "CH"],
            ["Two SA", UID_3, "two@example.ch", "Rue 2", "1003", "Lausanne", "CH"],
            ["Existing AG", UID_1, "", "", "", "", "CH"],
        ]
        results, headers = self.source._analyse(self._csv(rows))
        # the last update breaks the partner constraint on VAT numbers (as if the file changed meanwhile)
        results[-1].update(status="update", partner_id=self.existing.id, changes={"vat": ("", "x")})
        results[-1]["values"]["vat"] = "CHE-999.999.999 MWST"
        with self.assertRaises(ValidationError):
            self.source._apply(results, headers, "broken.csv")
        self.assertFalse(self._partner("One SA") | self._partner("Two SA"))
        self.assertFalse(self.source.log_ids)

    def test_mapping_guessed_and_saved_on_new_source(self):
        source = self.env["sysengage.import.source"].create({"name": "New source"})
        header = ["Nom", "IDE", "Courriel", "Rue", "NPA", "Localité", "Pays"]
        wizard = self._wizard(self._csv(self.rows[1:2], header=header), source=source)
        wizard.action_read_columns()
        mapping = {column.target_field: column.column_name for column in source.column_ids}
        self.assertEqual(
            mapping,
            {
                "name": "Nom",
                "uid": "IDE",
                "email": "Courriel",
                "street": "Rue",
                "zip": "NPA",
                "city": "Localité",
                "country": "Pays",
            },
        )
        self.assertTrue(source.column_ids.filtered(lambda c: c.target_field == "name").required)
        wizard.action_preview()
        wizard.action_apply()
        self.assertTrue(self._partner("Fresh SA"))

    def test_scheduled_run_on_file_path(self):
        self.source.strict = False
        with tempfile.TemporaryDirectory() as tmpdir:
            path = os.path.join(tmpdir, "register.csv")
            with open(path, "wb") as handle:
                handle.write(self._csv(self.rows))
            self.source.sudo().write({"file_path": path, "scheduled": True})
            self.env["sysengage.import.source"]._cron_run_sources()
        log = self.source.log_ids
        self.assertEqual((log.origin, log.state, log.count_new, log.count_rejected), ("cron", "done", 1, 1))
        self.assertTrue(self._partner("Fresh SA"))
        self.assertTrue(self.source.last_run_date)

    @mute_logger("odoo.addons.sysengage_base.models.sysengage_import_source")
    def test_scheduled_run_failure_is_logged_and_writes_nothing(self):
        self.source.sudo().write({"file_path": "/nonexistent/register.csv", "scheduled": True})
        self.env["sysengage.import.source"]._cron_run_sources()
        log = self.source.log_ids
        self.assertEqual(log.state, "failed")
        self.assertIn("/nonexistent/register.csv", log.message)
        # strict source, a rejected row: the valid rows are not written, the log keeps the rejected rows
        with tempfile.TemporaryDirectory() as tmpdir:
            path = os.path.join(tmpdir, "register.csv")
            with open(path, "wb") as handle:
                handle.write(self._csv(self.rows))
            self.source.sudo().file_path = path
            self.env["sysengage.import.source"]._cron_run_sources()
        log = self.source.log_ids.sorted("id")[-1]
        self.assertEqual((log.state, log.count_rejected), ("failed", 1))
        self.assertIn("Invalid UID", log.message)
        self.assertTrue(log.rejected_file)
        self.assertFalse(self._partner("Fresh SA"))
        self.assertEqual(self.existing.email, "old@existing.ch")

    def test_file_path_reserved_to_administrators(self):
        manager = self._create_user("sg_import_manager", "sysengage_base.group_manager,base.group_partner_manager")
        with self.assertRaises(AccessError):
            self.source.with_user(manager).write({"file_path": "/etc/passwd"})

    def test_access(self):
        user = self._create_user("sg_import_user", "sysengage_base.group_user,base.group_partner_manager")
        with self.assertRaises(AccessError):
            self.env["sysengage.address.import.wizard"].with_user(user).create({"source_id": self.source.id})
        with self.assertRaises(AccessError):
            self.source.with_user(user).read(["name"])
        manager = self._create_user("sg_import_manager2", "sysengage_base.group_manager,base.group_partner_manager")
        wizard = self._wizard(self._csv(self.rows[1:2])).with_user(manager)
        wizard.action_read_columns()
        wizard.action_preview()
        wizard.action_apply()
        self.assertEqual(self._partner("Fresh SA").create_uid, manager)

    def test_source_company_rule(self):
        other = self.env["res.company"].create({"name": "Other Import SA"})
        foreign = self._create_source("Foreign", company_id=other.id)
        manager = self._create_user("sg_import_manager3", "sysengage_base.group_manager")
        self.assertNotIn(foreign, self.env["sysengage.import.source"].with_user(manager).search([]))
