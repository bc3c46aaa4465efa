"""A client's context on the report routes cannot steer the archive (no archive, fresh rendering, dispatch event)."""

import json
from urllib.parse import quote

from odoo.tests import HttpCase, new_test_user, tagged

from .common import SysengageGedCommon


@tagged("post_install", "-at_install")
class TestReportRouteContext(SysengageGedCommon, HttpCase):
    def test_forged_archive_keys_ignored_on_the_report_route(self):
        self.env.company.sysengage_ged_archive_enabled = True
        invoice = self._ged_invoice(post=True)
        archive = invoice.sysengage_ged_archive_ids
        self.assertTrue(archive, "archived when posted")
        clerk = new_test_user(self.env, login="ged_route_clerk", groups="base.group_user,account.group_account_invoice")
        forged = {
            # core's switch to render a real PDF in tests; the suite's keys below are what a client forges
            "force_report_rendering": True,
            "sysengage_ged_event": "dispatch",
            "sysengage_ged_no_archive": True,
            "sysengage_ged_fresh_render": True,
            "sysengage_ged_rendering": {"event": "dispatch", "fresh": True, "archive": False},
        }
        self.authenticate(clerk.login, clerk.login)
        response = self.url_open(f"/report/pdf/account.report_invoice/{invoice.id}?context={quote(json.dumps(forged))}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        archive.invalidate_recordset()
        # the print is recorded on the archive as a print, and what is printed is the archive itself
        self.assertEqual(archive.event_ids.mapped("event_type"), ["print"])
        self.assertEqual(set(archive.event_ids.mapped("sha256")), {archive.sha256})
