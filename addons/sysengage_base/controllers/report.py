import json

from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.report import ReportController

PDF_ROUTE = "/report/pdf/"


class SysengageReportController(ReportController):
    # Override of web: the web client prints and downloads every PDF report through /report/download.
    # Once the PDF is made, the download is logged on the records keeping an event history (and the PDF
    # attached to them when the print profile says so). The ``context`` a client sends with the request
    # reaches the rendering only: the event is logged with the session's environment, so no key of it
    # can hide a print. /report/pdf/... opened directly is a read-only route: nothing is written there
    # (the print wizard logs its "local printer" prints before opening it).
    @http.route()
    def report_download(self, data, context=None, token=None, readonly=True):
        response = super().report_download(data, context=context, token=token, readonly=readonly)
        if response is None or response.status_code != 200:
            return response
        url, report_type = json.loads(data)[:2]
        if report_type != "qweb-pdf" or PDF_ROUTE not in url:
            return response
        reportname = url.split(PDF_ROUTE)[1].split("?")[0]
        if "/" in reportname:
            reportname, docids = reportname.split("/", 1)
            res_ids = [int(docid) for docid in docids.split(",") if docid.isdigit()]
            if res_ids:
                request.env["ir.actions.report"]._sysengage_log_download(reportname, res_ids, response.data)
        return response
