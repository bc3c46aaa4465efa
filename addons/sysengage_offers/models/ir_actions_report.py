from odoo import models

# reports that print an offer as a document the customer may rely on
OFFER_REPORTS = ("sale.report_saleorder", "sale.report_saleorder_raw", "sale.report_saleorder_pro_forma")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_html(self, report_ref, docids, data=None):
        # Override: every route renders through here (/report/html, /report/pdf, the Print menu, the
        # portal, mail attachments). An order waiting for approval is never rendered as final: it is
        # refused, unless asked as a draft, which is then marked so on every page (see the template).
        report = self._get_report(report_ref)
        if report.report_name in OFFER_REPORTS and docids and not self.env.context.get("sysengage_offer_draft_print"):
            self.env["sale.order"].browse(docids)._sysengage_offer_approval_check("print")
        return super()._render_qweb_html(report_ref, docids, data=data)
