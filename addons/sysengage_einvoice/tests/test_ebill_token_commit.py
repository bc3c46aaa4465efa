"""Renewed eBill tokens survive a send that is rolled back (real, committed transactions).

The token endpoint rotates the refresh token at every renewal: if the renewed tokens were stored in
the sending transaction and that transaction rolled back, the channel would keep a refresh token the
endpoint no longer accepts. This test commits its channel, renews inside a transaction that is then
rolled back, and reads the channel again from a third transaction.
"""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.sysengage_base.tests.common import SysengageCommittedCase

from .servers import HttpsServer, OAuthProvider


@tagged("post_install", "-at_install")
class TestEbillTokenCommit(SysengageCommittedCase):
    def setUp(self):
        super().setUp()
        self.provider = OAuthProvider()
        self.server = self.enterContext(
            HttpsServer([], routes={"/oauth/token": self.provider.token, "/swp/v1": self.provider.guard})
        )
        with self.registry.cursor() as cr:
            env = self._env(cr)
            channel = env["sysengage.einvoice.channel"].create(
                {
                    "name": "Committed eBill",
                    "channel_type": "ebill",
                    "company_id": env.ref("base.main_company").id,
                    "ebill_biller_id": "41101000001021209",
                    "url": f"{self.server.url}/swp/v1",
                    "tls_ca_cert": self.server.cert_pem,
                    "ebill_oauth_client_id": "sysengage-client",
                    "ebill_oauth_client_secret": "s3cret:+&",
                    "ebill_oauth_token_url": f"{self.server.url}/oauth/token",
                    "api_token": "access-0",
                    "ebill_oauth_refresh_token": "refresh-0",
                    "ebill_oauth_token_expiry": fields.Datetime.now() - timedelta(minutes=5),
                }
            )
            self.channel_id = channel.id
        self.addCleanup(self._cleanup)
        self.provider.refresh_tokens.add("refresh-0")  # issued at an earlier connection

    def _cleanup(self):
        with self.registry.cursor() as cr:
            self._env(cr)["sysengage.einvoice.channel"].browse(self.channel_id).unlink()

    def test_renewed_tokens_survive_a_rolled_back_send(self):
        with self.registry.cursor() as cr:
            channel = self._env(cr)["sysengage.einvoice.channel"].browse(self.channel_id)
            token = channel._ebill_access_token()
            self.assertEqual(token, "access-1")
            # the same transaction goes on with the new tokens (no second renewal)
            self.assertEqual(channel._ebill_access_token(), "access-1")
            cr.rollback()  # the send failed after the renewal
        with self.registry.cursor() as cr:
            channel = self._env(cr)["sysengage.einvoice.channel"].browse(self.channel_id)
            self.assertEqual((channel.api_token, channel.ebill_oauth_refresh_token), ("access-1", "refresh-1"))
            # the rotated refresh token is the one the endpoint accepts next
            channel.ebill_oauth_token_expiry = fields.Datetime.now() - timedelta(minutes=1)
            self.assertEqual(channel._ebill_access_token(), "access-2")
            cr.rollback()
        self.assertEqual([grant.get("refresh_token") for grant in self.provider.grants], ["refresh-0", "refresh-1"])
