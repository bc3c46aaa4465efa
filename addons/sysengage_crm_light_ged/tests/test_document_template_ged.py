import base64

from odoo.tests import tagged

from odoo.addons.sysengage_crm_light.tests.common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestDocumentTemplateGed(CrmLightCommon):
    def _generate(self, template, record):
        # a real PDF: wkhtmltopdf fetches the report assets from the test server
        with self.allow_pdf_render():
            return template.with_context(force_report_rendering=True)._sysengage_generate(record)

    def test_generated_pdf_filed_as_ged_version(self):
        self.env.user.group_ids |= self.env.ref("sysengage_ged.group_user")
        lead = self.env["crm.lead"].create(
            {"name": "Big deal", "type": "opportunity", "partner_id": self.customer_a.id, "expected_revenue": 5000}
        )
        template = self.env.ref("sysengage_crm_light.document_template_opportunity_summary")
        attachment = self._generate(template, lead)
        document = self.env["sysengage.ged.document"].search([("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)])
        self.assertEqual(len(document), 1)
        self.assertEqual(document.name, attachment.name)
        self.assertEqual(document.version, 1)
        self.assertEqual(document.mimetype, "application/pdf")
        self.assertEqual(base64.b64decode(document.datas), attachment.raw)
        # the document's own file, not the chatter attachment
        self.assertNotEqual(document.attachment_id, attachment)
        self.assertEqual(document.company_id, lead.company_id)

    def test_user_without_ged_keeps_the_attachment_only(self):
        rep = self.rep_anna  # a CRM Light user, no GED rights
        self.assertFalse(self.env["sysengage.ged.document"].with_user(rep).has_access("create"))
        template = self.env.ref("sysengage_crm_light.document_template_visit_confirmation")
        partner = self.customer_b.with_user(rep)
        attachment = self._generate(template.with_user(rep), partner)
        self.assertEqual((attachment.res_model, attachment.res_id), ("res.partner", self.customer_b.id))
        self.assertFalse(
            self.env["sysengage.ged.document"]
            .sudo()
            .search_count([("res_model", "=", "res.partner"), ("res_id", "=", self.customer_b.id)])
        )
