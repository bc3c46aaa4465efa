from odoo import models

# reports that print an offer as a final document
OFFER_REPORTS = ("sale.report_saleorder", "sale.report_saleorder_raw")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # an offer waiting for approval is only printed as a draft (marked so on every page)
        report = self._get_report(report_ref)
        if (
            report.report_name in OFFER_REPORTS
            and res_ids
            and not self.env.context.get("sysengage_offer_draft_print")
        ):
            self.env["sale.order"].browse(res_ids)._sysengage_offer_approval_check("print")
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
