import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestDocuments(CrmLightCommon):
    def _attachment(self, name, model, res_id):
        return self.env["ir.attachment"].create(
            {"name": name, "datas": base64.b64encode(b"%PDF-1.4 test"), "res_model": model, "res_id": res_id}
        )

    def test_documents_of_lead_and_activities_shown_on_both(self):
        lead = self.env["crm.lead"].create({"name": "Docs", "type": "opportunity", "user_id": self.rep_anna.id})
        visit = lead.activity_schedule("sysengage_crm_light.mail_activity_type_visit")
        call = lead.activity_schedule("sysengage_crm_light.mail_activity_type_phone_call")
        on_lead = self._attachment("plan.pdf", "crm.lead", lead.id)
        on_visit = self._attachment("report.pdf", "mail.activity", visit.id)
        linked = self._attachment("photo.jpg", "mail.activity", call.id)
        call.attachment_ids = linked
        other = self.env["crm.lead"].create({"name": "Other", "type": "opportunity"})
        self._attachment("unrelated.pdf", "crm.lead", other.id)

        lead.invalidate_recordset()
        self.assertEqual(lead.sysengage_document_ids, on_lead | on_visit | linked)
        self.assertEqual(lead.sysengage_document_count, 3)
        self.assertEqual(visit.sysengage_document_ids, on_lead | on_visit | linked)
        # once the visit is done its file moves to the chatter message and remains on the lead
        call.action_feedback(feedback="Done")
        lead.invalidate_recordset()
        self.assertIn(linked, lead.sysengage_document_ids)
        action = lead.action_sysengage_open_documents()
        self.assertEqual(set(action["domain"][0][2]), set(lead.sysengage_document_ids.ids))

    def test_rep_reads_documents_of_own_lead(self):
        lead = self.env["crm.lead"].with_user(self.rep_anna).create({"name": "Mine", "type": "opportunity"})
        self._attachment("offer.pdf", "crm.lead", lead.id)
        self.assertEqual(lead.with_user(self.rep_anna).sysengage_document_ids.mapped("name"), ["offer.pdf"])


@tagged("post_install", "-at_install")
class TestDocumentTemplates(CrmLightCommon):
    def test_letter_rendered_per_language_and_attached(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.env.ref("sysengage_crm_light.document_template_visit_confirmation")
        template.with_context(lang="fr_FR").write(
            {
                "subject": "Confirmation de notre visite",
                "body_html": '<p>Madame, Monsieur, visite chez <t t-out="object.name"/>.</p>',
            }
        )
        self.customer_a.lang = "fr_FR"
        self.customer_b.lang = "en_US"
        rendered = template._sysengage_render(self.customer_a | self.customer_b)
        self.assertEqual(rendered[self.customer_a.id][0], "Confirmation de notre visite")
        self.assertIn("visite chez Alpha SA", rendered[self.customer_a.id][1])
        self.assertEqual(rendered[self.customer_b.id][0], "Confirmation of our visit")
        self.assertIn("to Beta AG", rendered[self.customer_b.id][1])

        wizard = (
            self.env["sysengage.document.generate.wizard"]
            .with_user(self.rep_anna)
            .create({"template_id": template.id, "partner_id": self.customer_a.id})
        )
        action = wizard.action_generate()
        attachment = wizard.attachment_id
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        self.assertEqual((attachment.res_model, attachment.res_id), ("res.partner", self.customer_a.id))
        self.assertIn(b"Confirmation de notre visite", base64.b64decode(attachment.datas))
        self.assertEqual(template.generated_count, 1)

    def test_document_for_opportunity_is_a_pdf(self):
        lead = self.env["crm.lead"].create(
            {"name": "Big deal", "type": "opportunity", "partner_id": self.customer_a.id, "expected_revenue": 5000}
        )
        template = self.env.ref("sysengage_crm_light.document_template_opportunity_summary")
        # a real PDF: wkhtmltopdf fetches the report assets from the test server
        with self.allow_pdf_render():
            attachment = template.with_context(force_report_rendering=True)._sysengage_generate(lead)
        self.assertEqual(attachment.res_model, "crm.lead")
        self.assertTrue(base64.b64decode(attachment.datas).startswith(b"%PDF"))
        self.assertIn(attachment, lead.sysengage_document_ids)

    def test_template_of_other_model_refused(self):
        template = self.env.ref("sysengage_crm_light.document_template_visit_confirmation")
        lead = self.env["crm.lead"].create({"name": "X", "type": "opportunity"})
        with self.assertRaises(UserError):
            template._sysengage_render(lead)
