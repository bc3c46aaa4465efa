import json

from odoo import http

from odoo.addons.web.controllers.report import ReportController

# Context keys by which the suite's own server code steers the archive of a rendering (no archive for a
# rendering that archives afterwards, a fresh rendering, the dispatch event). A client may send any
# context with a report request: these keys never reach the rendering from there.
SERVER_ONLY_KEYS = ("sysengage_ged_no_archive", "sysengage_ged_fresh_render", "sysengage_ged_event")


def without_server_keys(context_json):
    """The JSON ``context`` of a report request without the keys only server code may set."""
    if not context_json:
        return context_json
    try:
        context = json.loads(context_json)
    except ValueError:
        return context_json  # left to the report route, which refuses it
    if not isinstance(context, dict):
        return context_json
    return json.dumps({key: value for key, value in context.items() if key not in SERVER_ONLY_KEYS})


class SysengageGedReportController(ReportController):
    # Override of web: a printed invoice is the archived PDF and its print an event of the archive;
    # a client's context cannot skip the archive, ask for another rendering or call a print a dispatch.
    # /report/download renders through this route too.
    @http.route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        if "context" in data:
            data["context"] = without_server_keys(data["context"])
        return super().report_routes(reportname, docids=docids, converter=converter, **data)
