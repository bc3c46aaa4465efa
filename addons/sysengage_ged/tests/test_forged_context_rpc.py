"""A low-privileged user's RPC context cannot steer the archive: whatever keys it forges, the invoice
sent is the archived PDF and the send is recorded on that archive."""

import base64

from odoo.tests import HttpCase, new_test_user, tagged

from .common import SysengageGedCommon

# the keys the suite read (or reads) to steer the archive, as a client would forge them; the server
# code sets a GedRendering (or the suite's ReportOptions), which JSON cannot carry
FORGED = {
    # core's switch to render real PDFs in tests: without it nothing archived is reused
    "force_report_rendering": True,
    "sysengage_ged_no_archive": True,
    "sysengage_ged_fresh_render": True,
    "sysengage_ged_event": "dispatch",
    "sysengage_ged_rendering": {"event": "dispatch", "fresh": True, "archive": False},
    "sysengage_options": {"archive_event": "dispatch", "fresh_render": True},
}


@tagged("post_install", "-at_install")
class TestForgedContextRpc(SysengageGedCommon, HttpCase):
    def test_send_through_xmlrpc_with_forged_context_sends_the_archive(self):
        self.env.company.sysengage_ged_archive_enabled = True
        invoice = self._ged_invoice(post=True)
        archive = invoice.sysengage_ged_archive_ids.filtered(lambda a: a.kind == "pdf")
        self.assertTrue(archive, "archived when posted")
        clerk = new_test_user(self.env, login="ged_rpc_clerk", groups="base.group_user,account.group_account_invoice")
        execute = self.xmlrpc_object.execute_kw
        database = self.env.cr.dbname
        wizard_id = execute(
            database,
            clerk.id,
            clerk.login,
            "account.move.send.wizard",
            "create",
            [{"move_id": invoice.id, "sending_methods": ["manual"]}],
            {"context": FORGED},
        )
        execute(
            database,
            clerk.id,
            clerk.login,
            "account.move.send.wizard",
            "action_send_and_print",
            [[wizard_id]],
            {"context": FORGED},
        )
        invoice.invalidate_recordset()
        archive.invalidate_recordset()
        # no fresh rendering and no second archive: the PDF sent is the archived one, byte for byte
        self.assertEqual(invoice.sysengage_ged_archive_ids.filtered(lambda a: a.kind == "pdf"), archive)
        self.assertEqual(invoice.invoice_pdf_report_id.raw, base64.b64decode(archive.datas))
        # and it is recorded as what it was, a send, not the forged dispatch
        self.assertEqual(archive.event_ids.mapped("event_type"), ["send"])
        self.assertEqual(set(archive.event_ids.mapped("sha256")), {archive.sha256})
