import base64
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.sysengage_einvoice.models.sysengage_einvoice_channel import SysengageEinvoiceBuildError
from odoo.addons.sysengage_einvoice.models.sysengage_einvoice_channel_ebill import CALLBACK_PATH

from .common import EinvoiceCommon
from .servers import HttpsServer, OAuthProvider, free_port

BILLER = "41101000001021209"
CASE = "NWPBCID0FB909852BBC4D06AD8336AAE87D7FC9"
STATUS = (200, json.dumps({"id": CASE, "status": "OPEN"}), "application/json")
REDIRECT = "https://erp.sysengage.example/sysengage_einvoice/ebill/oauth/callback"


class EbillOAuthMixin:
    """A channel configured for OAuth2 against a loopback token endpoint + API."""

    def _server(self, provider, responses=(STATUS,)):
        return HttpsServer(list(responses), routes={"/oauth/token": provider.token, "/swp/v1": provider.guard})

    def _configure(self, channel, server, **vals):
        values = {
            "url": f"{server.url}/swp/v1",
            "tls_ca_cert": server.cert_pem,
            "ebill_oauth_client_id": "sysengage-client",
            "ebill_oauth_client_secret": "s3cret:+&",
            "ebill_oauth_token_url": f"{server.url}/oauth/token",
            "ebill_oauth_authorization_url": "https://nwp.example/oauth/v1/authorize?lang=de",
            "ebill_oauth_redirect_uri": REDIRECT,
        }
        values.update(vals)
        channel.write(values)

    @staticmethod
    def _state_of(action):
        return parse_qs(urlsplit(action["url"]).query)["state"][0]


@tagged("post_install", "-at_install")
class TestEbillOAuth(EbillOAuthMixin, EinvoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel = cls._channel("ebill", ebill_biller_id=BILLER)

    def _connect(self, server, provider):
        self._configure(self.channel, server)
        state = self._state_of(self.channel.action_ebill_connect())
        channel = self.env["sysengage.einvoice.channel"]._ebill_from_state(state)
        self.assertEqual(channel, self.channel)
        self.assertTrue(channel._ebill_authorized(code="code-4711"), channel.ebill_oauth_error)

    def _status_request(self):
        return self.channel._ebill_call(
            f"{self.channel.url}/billers/{BILLER}/business-cases/{CASE}",
            None,
            {"Accept": "application/json"},
            method="GET",
        )

    def test_authorization_request_carries_a_one_time_state(self):
        with self._server(OAuthProvider(redirect_uri=REDIRECT)) as server:
            self._configure(self.channel, server)
            action = self.channel.action_ebill_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        url = urlsplit(action["url"])
        self.assertEqual(f"{url.scheme}://{url.netloc}{url.path}", "https://nwp.example/oauth/v1/authorize")
        query = parse_qs(url.query)
        self.assertEqual(query["lang"], ["de"])
        self.assertEqual(query["response_type"], ["code"])
        self.assertEqual(query["client_id"], ["sysengage-client"])
        self.assertEqual(query["redirect_uri"], [REDIRECT])
        self.assertEqual(query["scope"], ["default-biller"])
        state = query["state"][0]
        self.assertTrue(state.startswith(f"{self.channel.id}."))
        self.assertGreater(len(state), 40)
        self.assertNotIn(state, self.channel.ebill_oauth_state, "only a digest of the state is stored")
        # a second click issues another state: the first one is no longer valid
        other = self._state_of(self.channel.action_ebill_connect())
        self.assertNotEqual(other, state)
        Channel = self.env["sysengage.einvoice.channel"]
        self.assertFalse(Channel._ebill_from_state(state))
        self.assertFalse(Channel._ebill_from_state(f"{self.channel.id}.forged"))
        self.assertFalse(Channel._ebill_from_state("garbage"))
        # another user cannot complete the request started by this one
        admin2 = self._create_user("ei_sys2", "base.group_system,sysengage_einvoice.group_manager")
        self.assertFalse(Channel.with_user(admin2)._ebill_from_state(other))
        self.assertEqual(Channel._ebill_from_state(other), self.channel)
        self.assertFalse(Channel._ebill_from_state(other), "a state works once")

    def test_expired_state_is_refused(self):
        with self._server(OAuthProvider(redirect_uri=REDIRECT)) as server:
            self._configure(self.channel, server)
            state = self._state_of(self.channel.action_ebill_connect())
        self.channel.ebill_oauth_state_date = fields.Datetime.now() - timedelta(hours=1)
        self.assertFalse(self.env["sysengage.einvoice.channel"]._ebill_from_state(state))

    def test_code_exchanged_for_tokens_with_basic_client_auth(self):
        provider = OAuthProvider(redirect_uri=REDIRECT)
        with self._server(provider) as server:
            self.assertEqual(self.channel.ebill_connection_state, "not_connected")
            self._connect(server, provider)
        # the callback ran in the server's request (registry test mode): read the channel afresh
        self.channel.invalidate_recordset()
        token_request = server.requests[0]
        self.assertEqual(token_request["path"], "/oauth/token")
        basic = base64.b64decode(token_request["headers"]["Authorization"][6:]).decode()
        self.assertEqual(basic, "sysengage-client:s3cret%3A%2B%26", "RFC 6749 2.3.1: form-encoded, then Basic")
        self.assertEqual(
            provider.grants, [{"grant_type": "authorization_code", "code": "code-4711", "redirect_uri": REDIRECT}]
        )
        self.assertEqual(self.channel.api_token, "access-1")
        self.assertEqual(self.channel.ebill_oauth_refresh_token, "refresh-1")
        expected = fields.Datetime.now() + timedelta(seconds=3600)
        self.assertAlmostEqual(self.channel.ebill_oauth_token_expiry, expected, delta=timedelta(seconds=30))
        self.assertEqual(self.channel.ebill_connection_state, "connected")
        self.assertFalse(self.channel.ebill_oauth_error)

    def test_refused_code_is_reported_on_the_channel(self):
        provider = OAuthProvider(redirect_uri=REDIRECT)
        with self._server(provider) as server:
            self._configure(self.channel, server)
            state = self._state_of(self.channel.action_ebill_connect())
            channel = self.env["sysengage.einvoice.channel"]._ebill_from_state(state)
            self.assertFalse(channel._ebill_authorized(code="stolen-code"))
        self.assertIn("invalid_grant", self.channel.ebill_oauth_error)
        self.assertIn("Unknown or used authorization code", self.channel.ebill_oauth_error)
        self.assertEqual(self.channel.ebill_connection_state, "not_connected")
        self.assertFalse(self.channel._ebill_authorized(error="access_denied", error_description="No"))
        self.assertIn("access_denied", self.channel.ebill_oauth_error)

    def test_token_renewed_before_expiry_with_the_refresh_token(self):
        provider = OAuthProvider(redirect_uri=REDIRECT)
        with self._server(provider) as server:
            self._connect(server, provider)
            self.assertEqual(self.channel._ebill_access_token(), "access-1", "valid: no request")
            self.assertEqual(len(provider.grants), 1)
            self.channel.ebill_oauth_token_expiry = fields.Datetime.now() + timedelta(seconds=30)
            status, _text = self._status_request()
        self.assertEqual(status, 200)
        self.assertEqual(provider.grants[1], {"grant_type": "refresh_token", "refresh_token": "refresh-1"})
        self.assertEqual(server.requests[-1]["headers"]["Authorization"], "Bearer access-2")
        self.assertEqual((self.channel.api_token, self.channel.ebill_oauth_refresh_token), ("access-2", "refresh-2"))
        self.assertGreater(self.channel.ebill_oauth_token_expiry, fields.Datetime.now() + timedelta(minutes=50))

    def test_renewed_once_on_401(self):
        provider = OAuthProvider(redirect_uri=REDIRECT)
        with self._server(provider) as server:
            self._connect(server, provider)
            provider.revoke_access_tokens()  # the network dropped the token before its expiry
            status, _text = self._status_request()
            self.assertEqual(status, 200)
            calls = [(r["path"].split("/")[1], r["headers"]["Authorization"].split(" ")[0]) for r in server.requests]
            self.assertEqual(calls, [("oauth", "Basic"), ("swp", "Bearer"), ("oauth", "Basic"), ("swp", "Bearer")])
            self.assertEqual(server.requests[-1]["headers"]["Authorization"], "Bearer access-2")
            # refused again after the renewal: one renewal only, then a clear error
            server.routes["/swp/v1"] = lambda request: (401, "{}", "application/json")
            with self.assertRaisesRegex(UserError, "refused the renewed access token"):
                self._status_request()
        self.assertEqual(
            [grant["grant_type"] for grant in provider.grants], ["authorization_code", "refresh_token", "refresh_token"]
        )

    def test_revoked_refresh_token_asks_to_reconnect(self):
        provider = OAuthProvider(redirect_uri=REDIRECT)
        with self._server(provider) as server:
            self._connect(server, provider)
            provider.refresh_tokens.clear()
            self.channel.ebill_oauth_token_expiry = fields.Datetime.now() - timedelta(minutes=1)
            with self.assertRaises(SysengageEinvoiceBuildError) as caught:
                self._status_request()
        message = str(caught.exception)
        self.assertIn("refresh_token", message)
        self.assertIn("invalid_grant: Refresh token revoked", message)

    def test_client_credentials_grant(self):
        provider = OAuthProvider(client_credentials=True, client_auth="post")
        with self._server(provider) as server:
            self._configure(
                self.channel, server, ebill_auth_method="client_credentials", ebill_oauth_client_auth="post"
            )
            action = self.channel.action_ebill_connect()
            self.assertEqual(action["tag"], "display_notification")
            self.assertEqual(
                provider.grants[0],
                {
                    "grant_type": "client_credentials",
                    "scope": "default-biller",
                    "client_id": "sysengage-client",
                    "client_secret": "s3cret:+&",
                },
            )
            self.assertNotIn("Authorization", server.requests[0]["headers"])
            self.assertEqual(self.channel.ebill_connection_state, "connected")
            self.assertFalse(self.channel.ebill_oauth_refresh_token)
            # expired: a new client-credentials token, no user needed
            self.channel.ebill_oauth_token_expiry = fields.Datetime.now() - timedelta(minutes=1)
            self.assertEqual(self._status_request()[0], 200)
        self.assertEqual([grant["grant_type"] for grant in provider.grants], ["client_credentials"] * 2)
        self.assertEqual(server.requests[-1]["headers"]["Authorization"], "Bearer access-2")

    def test_clear_errors(self):
        with self.assertRaisesRegex(UserError, "OAuth2 client ID is missing"):
            self.channel.action_ebill_connect()
        with self.assertRaisesRegex(UserError, "OAuth2 client ID is missing"):
            self._status_request()
        self.channel.write(
            {
                "ebill_oauth_client_id": "sysengage-client",
                "ebill_oauth_client_secret": "x",
                "ebill_oauth_token_url": f"https://127.0.0.1:{free_port()}/oauth/token",
                "ebill_auth_method": "client_credentials",
            }
        )
        with self.assertRaisesRegex(UserError, "token endpoint of channel Ebill is unreachable"):
            self.channel.action_ebill_connect()
        provider = OAuthProvider()  # offers no client-credentials grant
        with self._server(provider) as server:
            self._configure(self.channel, server, ebill_auth_method="client_credentials")
            with self.assertRaisesRegex(UserError, "unsupported_grant_type: client_credentials is not offered"):
                self.channel.action_ebill_connect()
            self.channel.ebill_oauth_client_secret = "wrong"
            with self.assertRaisesRegex(UserError, "invalid_client: Client authentication failed"):
                self.channel.action_ebill_connect()
            self.channel.write({"ebill_auth_method": "authorization_code", "ebill_oauth_authorization_url": False})
            with self.assertRaisesRegex(UserError, "Authorization URL is missing"):
                self.channel.action_ebill_connect()

    def test_credentials_are_system_only(self):
        manager = self._create_user("ei_mgr", "sysengage_einvoice.group_manager")
        for field in (
            "ebill_oauth_client_id",
            "ebill_oauth_client_secret",
            "ebill_oauth_token_url",
            "ebill_oauth_authorization_url",
            "ebill_oauth_scope",
            "ebill_oauth_redirect_uri",
            "ebill_oauth_refresh_token",
            "api_token",
        ):
            with self.assertRaises(AccessError):
                self.channel.with_user(manager).read([field])
        self.assertEqual(self.channel.with_user(manager).ebill_connection_state, "not_connected")


@tagged("post_install", "-at_install")
class TestEbillSendWithOAuth(EbillOAuthMixin, EinvoiceCommon):
    sysengage_render_pdf = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls.customer.write(
            {"invoice_sending_method": "sysengage_ebill", "sysengage_ebill_recipient_id": "41105000000000001"}
        )
        cls.channel = cls._channel("ebill", ebill_biller_id=BILLER)

    def test_expired_token_renewed_before_the_business_case_is_posted(self):
        provider = OAuthProvider(redirect_uri=REDIRECT)
        created = (201, json.dumps({"id": CASE}), "application/json")
        with self._server(provider, [created]) as server:
            self._configure(self.channel, server)
            state = self._state_of(self.channel.action_ebill_connect())
            self.env["sysengage.einvoice.channel"]._ebill_from_state(state)._ebill_authorized(code="code-4711")
            self.channel.ebill_oauth_token_expiry = fields.Datetime.now() - timedelta(seconds=5)
            document = self.env["sysengage.einvoice.document"]._create_for_moves(self._post_invoice())
            document.action_send_now()
        self.assertEqual(document.state, "sent", document.state_message)
        self.assertEqual(document.external_id, CASE)
        posted = server.requests[-1]
        self.assertEqual(posted["path"], f"/swp/v1/billers/{BILLER}/business-cases")
        self.assertEqual(posted["headers"]["Authorization"], "Bearer access-2")
        self.assertEqual([grant["grant_type"] for grant in provider.grants], ["authorization_code", "refresh_token"])

    def test_not_connected_keeps_the_send_pending(self):
        provider = OAuthProvider(redirect_uri=REDIRECT)
        with self._server(provider) as server:
            self._configure(self.channel, server)
            document = self.env["sysengage.einvoice.document"]._create_for_moves(self._post_invoice())
            document.action_send_now()
            self.assertEqual(server.requests, [])
        self.assertEqual(document.state, "to_send")
        self.assertIn("not connected to eBill", document.state_message)


@tagged("post_install", "-at_install")
class TestEbillOAuthCallback(EbillOAuthMixin, HttpCase):
    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.channel = self.env["sysengage.einvoice.channel"].create(
            {
                "name": "eBill",
                "channel_type": "ebill",
                "company_id": self.admin.company_id.id,
                "ebill_biller_id": BILLER,
            }
        )
        self.authenticate("admin", "admin")

    def test_callback_exchanges_the_code_or_refuses_a_wrong_state(self):
        provider = OAuthProvider(redirect_uri=f"{self.base_url()}{CALLBACK_PATH}")
        with self._server(provider) as server:
            self._configure(self.channel, server, ebill_oauth_redirect_uri=False)
            action = self.channel.with_user(self.admin).action_ebill_connect()
            state = self._state_of(action)
            self.assertEqual(
                parse_qs(urlsplit(action["url"]).query)["redirect_uri"], [f"{self.base_url()}{CALLBACK_PATH}"]
            )
            for wrong in (
                f"{self.channel.id}.forged",
                "",
                f"{self.channel.id}{state[len(str(self.channel.id)) : -1]}x",
            ):
                response = self.url_open(f"{CALLBACK_PATH}?code=code-4711&state={wrong}", allow_redirects=False)
                self.assertEqual(response.status_code, 403, wrong)
            self.assertEqual(server.requests, [], "no token request for a wrong state")
            response = self.url_open(f"{CALLBACK_PATH}?code=code-4711&state={state}", allow_redirects=False)
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith(f"/{self.channel.id}"))
            self.assertEqual(provider.grants[0]["code"], "code-4711")
            self.assertEqual(self.channel.api_token, "access-1")
            self.assertEqual(self.channel.ebill_connection_state, "connected")
            # replaying the same answer is refused: the state was used
            response = self.url_open(f"{CALLBACK_PATH}?code=code-4711&state={state}", allow_redirects=False)
            self.assertEqual(response.status_code, 403)
            self.assertEqual(len(provider.grants), 1)
