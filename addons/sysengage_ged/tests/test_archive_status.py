from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SysengageGedCommon


@tagged("post_install", "-at_install")
class TestArchiveStatus(SysengageGedCommon):
    """The archive status of an invoice for a billing user without Documents rights."""

    with_pki = True

    def setUp(self):
        super().setUp()
        self.enterContext(self.allow_pdf_render())

    def test_billing_user_sees_status_not_the_archive(self):
        accountant = new_test_user(
            self.env,
            login="billing_no_ged",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.env.company.id,
        )
        invoice = self._ged_invoice(post=True)
        draft = self._ged_invoice()
        seen = invoice.with_user(accountant)
        self.assertRecordValues(
            seen,
            [
                {
                    "sysengage_ged_archived": True,
                    "sysengage_ged_archive_signed": True,
                    "sysengage_ged_archive_timestamped": True,
                    "sysengage_ged_archive_version": 1,
                }
            ],
        )
        self.assertTrue(seen.sysengage_ged_archive_date)
        self.assertFalse(draft.with_user(accountant).sysengage_ged_archived)
        # the status only: the archive itself (file, hashes) stays for Documents users
        with self.assertRaises(AccessError):
            self.env["sysengage.ged.archive"].with_user(accountant).search([("move_id", "=", invoice.id)])
        with self.assertRaises(AccessError):
            invoice.sysengage_ged_archive_ids.with_user(accountant).read(["datas"])

    def test_status_follows_timestamp_retry(self):
        self.pki.stop()
        try:
            invoice = self._ged_invoice(post=True)
        finally:
            self.pki.start()
        self.assertTrue(invoice.sysengage_ged_archived)
        self.assertFalse(invoice.sysengage_ged_archive_timestamped)
        invoice.sysengage_ged_archive_ids.action_retry_timestamp()
        invoice.invalidate_recordset()
        self.assertTrue(invoice.sysengage_ged_archive_timestamped)
