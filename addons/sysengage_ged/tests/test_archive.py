import base64
import contextlib
import io
from unittest.mock import patch

from odoo import tools
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.pdf import OdooPdfFileReader

from odoo.addons.account_edi_ubl_cii.models import account_move_send as ubl_cii_send
from odoo.addons.sysengage_ged.tools import pades

from .common import SysengageGedCommon
from .testing_pki import GarbageAuthority


class _ToolsOutsideTests:
    """``odoo.tools`` as account_edi_ubl_cii's Send & Print sees it outside tests: its ``test_enable`` switch
    off (in tests it only saves the Factur-X XML as an attachment, and leaves the PDF alone)."""

    config = {"test_enable": False}

    def __getattr__(self, name):
        return getattr(tools, name)


@contextlib.contextmanager
def _ubl_cii_send_as_in_production():
    with patch.object(ubl_cii_send, "tools", _ToolsOutsideTests()):
        yield


@tagged("post_install", "-at_install")
class TestGedArchive(SysengageGedCommon):
    def setUp(self):
        super().setUp()
        # real PDFs: wkhtmltopdf fetches the report assets from the test server on the test cursor
        self.enterContext(self.allow_pdf_render())

    with_pki = True

    def _findings(self, archive):
        return archive._ged_verify()[archive]

    def test_post_archives_signed_timestamped_pdf(self):
        invoice = self._ged_invoice(post=True)
        archive = invoice.sysengage_ged_archive_ids
        self.assertEqual(len(archive), 1)
        self.assertRecordValues(
            archive,
            [{"kind": "pdf", "trigger": "post", "version": 1, "state": "timestamped", "signed": True, "sequence": 1}],
        )
        raw = base64.b64decode(archive.datas)
        self.assertTrue(raw.startswith(b"%PDF"))
        self.assertEqual(archive.previous_hash, "0" * 64)
        self.assertEqual(archive.timestamp_id.sequence, 1, "covered by the batch timestamp of its head")
        self.assertEqual(archive.retention_until.year, archive.create_date.year + 10)
        findings = self._findings(archive)
        self.assertFalse([msg for level, msg in findings if level != "ok"], findings)
        action = archive.action_verify()
        wizard = self.env["sysengage.ged.archive.verify"].browse(action["res_id"])
        self.assertEqual(wizard.error_count, 0)
        self.assertIn("PAdES signature valid", wizard.result)

    def _print(self, invoice):
        return (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids)[0]
        )

    def test_print_is_an_event_of_the_archive_not_a_version(self):
        invoice = self._ged_invoice(post=True)
        archive = invoice.sysengage_ged_archive_ids
        first, second = self._print(invoice), self._print(invoice)
        invoice.invalidate_recordset()
        self.assertEqual(invoice.sysengage_ged_archive_ids, archive, "printing writes no new version")
        # what is printed is the archive, byte for byte (its signature included)
        self.assertEqual(first, base64.b64decode(archive.datas))
        self.assertEqual(second, first)
        self.assertEqual(archive.event_ids.mapped("event_type"), ["print", "print"])
        self.assertEqual(set(archive.event_ids.mapped("sha256")), {archive.sha256})

    def test_new_version_only_when_posted_again(self):
        invoice = self._ged_invoice(post=True)
        self._print(invoice)
        invoice.button_draft()
        invoice.invoice_line_ids.price_unit = 150.0
        invoice.action_post()
        self._print(invoice)
        archives = invoice.sysengage_ged_archive_ids.sorted("sequence")
        self.assertEqual(archives.mapped("version"), [1, 2])
        self.assertEqual(archives.mapped("trigger"), ["post", "post"])
        self.assertEqual(archives[1].previous_hash, archives[0].chain_hash)
        self.assertEqual(archives[0].event_ids.mapped("event_type"), ["print"])
        self.assertEqual(archives[1].event_ids.mapped("event_type"), ["print"])
        self.assertEqual(self._print(invoice), base64.b64decode(archives[1].datas))

    def test_print_archives_an_invoice_posted_before_archiving(self):
        self.env.company.sysengage_ged_archive_enabled = False
        invoice = self._ged_invoice(post=True)
        self.env.company.sysengage_ged_archive_enabled = True
        self._print(invoice)
        self._print(invoice)
        archive = invoice.sysengage_ged_archive_ids
        self.assertRecordValues(archive, [{"trigger": "print", "version": 1, "kind": "pdf"}])
        self.assertEqual(archive.event_ids.mapped("event_type"), ["print"])

    def test_einvoice_xml_archived_with_pdf(self):
        invoice = self._ged_invoice(post=True)
        xml = b'<?xml version="1.0"?><Invoice><ID>%s</ID></Invoice>' % invoice.name.encode()
        self.env["ir.attachment"].sudo().create(
            {
                "name": f"{invoice.name}_ubl.xml",
                "raw": xml,
                "mimetype": "application/xml",
                "res_model": "account.move",
                "res_id": invoice.id,
                "res_field": "ubl_cii_xml_file",
            }
        )
        self._print(invoice)
        self._print(invoice)
        self._ged_run_archive_job()  # the timestamp of what the print archived
        xml_archive = invoice.sysengage_ged_archive_ids.filtered(lambda a: a.kind == "xml")
        self.assertEqual(len(xml_archive), 1, "a file added to the posted state is archived once")
        self.assertRecordValues(xml_archive, [{"trigger": "print", "version": 1, "signed": False}])
        self.assertEqual(base64.b64decode(xml_archive.datas), xml)
        self.assertEqual(xml_archive.state, "timestamped")
        self.assertFalse([msg for level, msg in self._findings(xml_archive) if level == "error"])
        self.assertEqual(len(invoice.sysengage_ged_archive_ids.filtered(lambda a: a.kind == "pdf")), 1)

    def test_send_sends_the_archived_pdf_and_is_an_event(self):
        invoice = self._ged_invoice(post=True)
        archive = invoice.sysengage_ged_archive_ids
        self.env["account.move.send"].with_context(force_report_rendering=True)._generate_and_send_invoices(
            invoice, sending_methods=["manual"]
        )
        invoice.invalidate_recordset()
        self.assertEqual(invoice.sysengage_ged_archive_ids.filtered(lambda a: a.kind == "pdf"), archive)
        # the PDF sent is the archived one, byte for byte
        self.assertEqual(invoice.invoice_pdf_report_id.raw, base64.b64decode(archive.datas))
        self.assertEqual(archive.event_ids.mapped("event_type"), ["send"])

    def _embedded_facturx(self, raw):
        with io.BytesIO(raw) as stream:
            return dict(OdooPdfFileReader(stream, strict=False).getAttachments()).get("factur-x.xml")

    def test_archive_embeds_the_facturx_xml_under_its_signature(self):
        invoice = self._ged_invoice(post=True)
        raw = base64.b64decode(invoice.sysengage_ged_archive_ids.datas)
        self.assertEqual(pades.embedded_file_names(raw), ["factur-x.xml"])
        # the XML core's Send & Print embeds in the invoice PDF, signed with it
        self.assertEqual(self._embedded_facturx(raw), self.env["account.edi.xml.cii"]._export_invoice(invoice)[0])
        self.assertTrue(pades.verify_pdf_signature(raw)["intact"])

    def test_send_and_print_sends_the_signed_archive_unchanged(self):
        invoice = self._ged_invoice(post=True)
        archive = invoice.sysengage_ged_archive_ids
        raw = base64.b64decode(archive.datas)
        # core's Send & Print as outside tests, where account_edi_ubl_cii rewrites the invoice PDF to embed its
        # Factur-X XML
        with _ubl_cii_send_as_in_production():
            self.env["account.move.send"].with_context(force_report_rendering=True)._generate_and_send_invoices(
                invoice, sending_methods=["manual"]
            )
        invoice.invalidate_recordset()
        sent = invoice.invoice_pdf_report_id.raw
        self.assertEqual(sent, raw, "the PDF of the invoice is its archive, byte for byte")
        result = pades.verify_pdf_signature(sent)
        self.assertTrue(result["found"] and result["intact"] and result["valid"], result)
        self.assertEqual(self._embedded_facturx(sent), self.env["account.edi.xml.cii"]._export_invoice(invoice)[0])
        self.assertEqual(archive.event_ids.mapped("event_type"), ["send"])

    def test_send_and_print_before_the_archive_job_archives_the_pdf_sent(self):
        invoice = self._ged_invoice(post=True, archive=False)
        self.assertTrue(invoice.sysengage_ged_archive_pending)
        with _ubl_cii_send_as_in_production():
            self.env["account.move.send"].with_context(force_report_rendering=True)._generate_and_send_invoices(
                invoice, sending_methods=["manual"]
            )
        invoice.invalidate_recordset()
        archive = invoice.sysengage_ged_archive_ids
        self.assertRecordValues(archive, [{"trigger": "post", "signed": True}])  # its posting queued it
        raw = base64.b64decode(archive.datas)
        sent = invoice.invoice_pdf_report_id.raw
        # core embedded its Factur-X XML in the PDF it sent; the archive signs that PDF without a second copy
        self.assertTrue(raw.startswith(sent), "the archive appends its signature to the PDF sent")
        self.assertEqual(pades.embedded_file_names(raw), ["factur-x.xml"])
        self.assertTrue(pades.verify_pdf_signature(raw)["intact"])

    def test_switches_per_company_and_journal(self):
        self.company_data["default_journal_sale"].sysengage_ged_archive = False
        self.assertFalse(self._ged_invoice(post=True).sysengage_ged_archive_ids)
        self.company_data["default_journal_sale"].sysengage_ged_archive = True
        self.env.company.sysengage_ged_archive_enabled = False
        self.assertFalse(self._ged_invoice(post=True).sysengage_ged_archive_ids)
        self.env.company.sysengage_ged_archive_enabled = True
        bill = self._create_invoice(move_type="in_invoice", partner_id=self.customer.id, post=True)
        self.assertFalse(bill.sysengage_ged_archive_ids)

    def test_authority_down_then_cron_retries(self):
        self.pki.stop()
        try:
            invoice = self._ged_invoice(post=True)
        finally:
            self.pki.start()
        self.assertEqual(invoice.state, "posted")
        archive = invoice.sysengage_ged_archive_ids
        self.assertEqual(archive.state, "to_timestamp")
        self.assertIn("unreachable", archive.timestamp_error)
        self.assertIn(("warning",), [(level,) for level, _msg in self._findings(archive)])
        # setUp already put the registry in test mode: the cron runs on the test cursor
        self.env.ref("sysengage_ged.ir_cron_sysengage_ged_retry_timestamps").method_direct_trigger()
        archive.invalidate_recordset()
        self.assertEqual(archive.state, "timestamped")
        self.assertFalse(archive.timestamp_error)
        self.assertFalse([msg for level, msg in self._findings(archive) if level != "ok"])

    def test_authority_answering_garbage(self):
        garbage = GarbageAuthority()
        self.env.company.sysengage_ged_tsa_url = garbage.start()
        self.addCleanup(garbage.stop)
        invoice = self._ged_invoice(post=True)
        self.assertEqual(invoice.state, "posted")
        archive = invoice.sysengage_ged_archive_ids
        self.assertEqual(archive.state, "to_timestamp")
        with self.assertRaisesRollback(UserError, "not a time-stamp response"):
            archive.action_retry_timestamp()
        self.env.company.sysengage_ged_tsa_url = self.pki.tsa_url
        archive.action_retry_timestamp()
        self.assertEqual(archive.state, "timestamped")

    def test_bad_certificate_refused(self):
        company = self.env.company
        before = company.sysengage_ged_cert_file
        with self.assertRaisesRollback(ValidationError, "wrong password"):
            company.write({"sysengage_ged_cert_password": "not-the-password"})
        with self.assertRaisesRollback(ValidationError, "cannot be used"):
            company.write({"sysengage_ged_cert_file": base64.b64encode(b"garbage, not a PKCS#12")})
        company.invalidate_recordset()
        self.assertEqual(company.sysengage_ged_cert_file, before)
        self.assertIn("Sysengage Test Company", company.sysengage_ged_cert_subject)
