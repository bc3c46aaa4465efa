from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal


class SysengageOffersPortal(CustomerPortal):
    def _show_report(self, model, report_type, report_ref, download=False):
        # Override: the customer's "Download" and "Print" of an offer waiting for approval give the
        # marked draft (the report layer would refuse the final one)
        if model._name == "sale.order" and not all(model.mapped("sysengage_offer_final_ok")):
            request.update_context(sysengage_offer_draft_print=True)
        return super()._show_report(model, report_type, report_ref, download=download)
