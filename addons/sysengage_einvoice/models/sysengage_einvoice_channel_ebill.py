import hashlib
import hmac
import json
import logging
import secrets
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, mute_logger

from ..tools import pdf_attach, transport
from ..tools.yellowbill import build_yellowbill
from ..tools.yellowbill import validation_errors as yellowbill_errors
from .sysengage_einvoice_channel import SysengageEinvoiceBuildError

_logger = logging.getLogger(__name__)

CALLBACK_PATH = "/sysengage_einvoice/ebill/oauth/callback"
REFRESH_MARGIN = timedelta(seconds=60)  # an access token this close to its expiry is renewed first
STATE_LIFETIME = timedelta(minutes=15)  # time to consent at the network partner after "Connect"


def _state_digest(state):
    return hashlib.sha256(state.encode()).hexdigest()


class SysengageEinvoiceChannel(models.Model):
    """eBill: yellowbill + PDF posted to the Software Partner API of the network partner, which
    authenticates with OAuth2 (authorization code grant with user consent, or client credentials
    where the network partner offers it) and a Bearer access token renewed with its refresh token."""

    _inherit = "sysengage.einvoice.channel"

    ebill_auth_method = fields.Selection(
        [("authorization_code", "Authorization code (consent in eBill)"), ("client_credentials", "Client credentials")],
        string="eBill grant",
        default="authorization_code",
        groups="base.group_system",
    )
    ebill_oauth_client_id = fields.Char(string="OAuth2 client ID", groups="base.group_system", copy=False)
    ebill_oauth_client_secret = fields.Char(string="OAuth2 client secret", groups="base.group_system", copy=False)
    ebill_oauth_client_auth = fields.Selection(
        [("basic", "HTTP Basic"), ("post", "In the request body")],
        string="Client authentication",
        default="basic",
        groups="base.group_system",
    )
    ebill_oauth_token_url = fields.Char(
        string="Token URL", groups="base.group_system", help="e.g. https://api.mynwp.com/oauth/v1/token"
    )
    ebill_oauth_authorization_url = fields.Char(
        string="Authorization URL", groups="base.group_system", help="e.g. https://api.mynwp.com/oauth/v1/authorize"
    )
    ebill_oauth_scope = fields.Char(string="Scope", default="default-biller", groups="base.group_system")
    ebill_oauth_redirect_uri = fields.Char(
        string="Redirect URI",
        groups="base.group_system",
        help="Registered at the network partner; empty means this database's /sysengage_einvoice/ebill/oauth/callback.",
    )
    ebill_oauth_refresh_token = fields.Char(string="Refresh token", groups="base.group_system", copy=False)
    ebill_oauth_token_expiry = fields.Datetime(string="Access token valid until", readonly=True, copy=False)
    ebill_oauth_state = fields.Char(groups="base.group_system", copy=False)
    ebill_oauth_state_date = fields.Datetime(groups="base.group_system", copy=False)
    ebill_oauth_error = fields.Char(string="Last connection error", readonly=True, copy=False)
    ebill_connection_state = fields.Selection(
        [("connected", "Connected"), ("not_connected", "Not connected")],
        string="eBill connection",
        compute="_compute_ebill_connection_state",
    )

    @api.depends("ebill_oauth_token_expiry", "ebill_oauth_error")
    @api.depends_context("uid")
    def _compute_ebill_connection_state(self):
        now = fields.Datetime.now()
        for channel in self:
            # only whether tokens exist is shown, never the tokens (readable by system users only)
            secrets_sudo = channel.sudo()
            renewable = secrets_sudo.ebill_oauth_refresh_token or (
                secrets_sudo.ebill_auth_method == "client_credentials" and secrets_sudo.ebill_oauth_client_id
            )
            valid = secrets_sudo.api_token and (
                not channel.ebill_oauth_token_expiry or channel.ebill_oauth_token_expiry > now
            )
            channel.ebill_connection_state = (
                "connected"
                if channel.channel_type == "ebill" and (valid or (renewable and secrets_sudo.api_token))
                else "not_connected"
            )

    # ------------------------------------------------------------------
    # OAuth2 connection
    # ------------------------------------------------------------------
    def action_ebill_connect(self):
        """Start the connection: the authorization request in the browser (code grant, with a
        one-time ``state`` bound to this user), or a token at once (client credentials)."""
        self.ensure_one()
        # binding the channel to an eBill account is configuring it: channel managers only
        self.check_access("write")
        self._ebill_require_oauth()
        channel = self.sudo()  # the OAuth2 settings are system fields, used for this one channel
        if channel.ebill_auth_method == "client_credentials":
            self._ebill_interactive(
                lambda: self._ebill_token_request(
                    {"grant_type": "client_credentials", "scope": channel.ebill_oauth_scope}
                )
            )
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._("Connected to eBill."),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        self._require(channel, "ebill_oauth_authorization_url", self.env._("Authorization URL"))
        state = f"{self.id}.{secrets.token_urlsafe(32)}"
        channel.write(
            {
                "ebill_oauth_state": f"{self.env.uid}:{_state_digest(state)}",
                "ebill_oauth_state_date": fields.Datetime.now(),
            }
        )
        url = transport.oauth_authorization_url(
            channel.ebill_oauth_authorization_url,
            channel.ebill_oauth_client_id,
            self._ebill_redirect_uri(),
            state,
            scope=channel.ebill_oauth_scope,
        )
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def action_ebill_disconnect(self):
        self.ensure_one()
        # wiping the tokens stops the channel: channel managers only (a reader may not)
        self.check_access("write")
        # sudo: the tokens are system fields, cleared for this one channel
        self.sudo().write(
            {
                "api_token": False,
                "ebill_oauth_refresh_token": False,
                "ebill_oauth_token_expiry": False,
                "ebill_oauth_state": False,
                "ebill_oauth_error": False,
            }
        )
        return True

    @api.model
    def _ebill_from_state(self, state):
        """The channel whose pending authorization request issued ``state`` for the current user,
        or an empty recordset; the state is consumed (it works once)."""
        channel_id, _dot, _token = (state or "").partition(".")
        if not channel_id.isdigit():
            return self.browse()
        channel = self.browse(int(channel_id)).exists()
        channel_sudo = channel.sudo()  # the pending state is a system field, compared in constant time
        if not channel or not channel_sudo.ebill_oauth_state:
            return self.browse()
        expected = f"{self.env.uid}:{_state_digest(state)}"
        fresh = channel_sudo.ebill_oauth_state_date and (
            channel_sudo.ebill_oauth_state_date + STATE_LIFETIME >= fields.Datetime.now()
        )
        if not hmac.compare_digest(channel_sudo.ebill_oauth_state, expected) or not fresh:
            return self.browse()
        channel_sudo.write({"ebill_oauth_state": False, "ebill_oauth_state_date": False})
        return channel

    def _ebill_authorized(self, code=None, error=None, error_description=None):
        """The browser came back from the authorization server: exchange ``code`` for tokens."""
        self.ensure_one()
        if error:
            message = self.env._(
                "eBill refused the authorization: %(error)s %(description)s",
                error=error,
                description=error_description or "",
            )
        elif not code:
            message = self.env._("eBill sent no authorization code back.")
        else:
            message = False
            try:
                self._ebill_interactive(
                    lambda: self._ebill_token_request(
                        {
                            "grant_type": "authorization_code",
                            "code": code,
                            "redirect_uri": self._ebill_redirect_uri(),
                        }
                    )
                )
            except UserError as user_error:
                message = str(user_error.args[0])
        if message:
            self.ebill_oauth_error = message
        return not message

    def _ebill_redirect_uri(self):
        return self.sudo().ebill_oauth_redirect_uri or f"{self.get_base_url()}{CALLBACK_PATH}"

    def _ebill_require_oauth(self):
        channel = self.sudo()  # the OAuth2 settings are system fields, checked for this one channel
        self._require(channel, "ebill_oauth_client_id", self.env._("OAuth2 client ID"))
        self._require(channel, "ebill_oauth_client_secret", self.env._("OAuth2 client secret"))
        self._require(channel, "ebill_oauth_token_url", self.env._("OAuth2 token URL"))

    def _ebill_interactive(self, request):
        """Run a token request for a user: an unreachable endpoint is a UserError too."""
        try:
            return request()
        except transport.TransientError as error:
            raise UserError(str(error)) from error

    def _ebill_token_request(self, grant):
        """Ask the token endpoint for tokens with ``grant`` and store them. Raises
        :class:`SysengageEinvoiceBuildError` naming what is missing or what the endpoint refused
        (with its error and error_description), a ``TransientError`` when it is unreachable."""
        self._ebill_require_oauth()
        channel = self.sudo()  # client secret and tokens are system fields, used for this one channel
        try:
            answer = transport.oauth_token(
                channel.ebill_oauth_token_url,
                grant,
                channel.ebill_oauth_client_id,
                channel.ebill_oauth_client_secret,
                client_auth=channel.ebill_oauth_client_auth or "basic",
                ca_pem=channel.tls_ca_cert,
                timeout=self.timeout,
            )
        except transport.TransientError as error:
            raise transport.TransientError(
                self.env._(
                    "The eBill token endpoint of channel %(channel)s is unreachable: %(reason)s",
                    channel=self.display_name,
                    reason=str(error),
                )
            ) from error
        except transport.OAuthError as error:
            raise SysengageEinvoiceBuildError(
                self.env._(
                    "The eBill token endpoint refused the %(grant)s request of channel %(channel)s: %(reason)s",
                    grant=grant["grant_type"],
                    channel=self.display_name,
                    reason=str(error),
                )
            ) from error
        vals = {"api_token": answer["access_token"], "ebill_oauth_error": False}
        try:
            expires_in = int(answer.get("expires_in") or 0)
        except (TypeError, ValueError):
            expires_in = 0
        vals["ebill_oauth_token_expiry"] = (
            fields.Datetime.now() + timedelta(seconds=expires_in) if expires_in > 0 else False
        )
        if answer.get("refresh_token"):
            vals["ebill_oauth_refresh_token"] = answer["refresh_token"]
        elif grant["grant_type"] != "refresh_token":
            vals["ebill_oauth_refresh_token"] = False
        self._ebill_store_tokens(vals)
        return answer["access_token"]

    def _ebill_store_tokens(self, vals):
        """Store the tokens just issued in their own transaction, committed at once: the endpoint has
        already rotated the refresh token, so a send rolled back afterwards must not take the new one
        with it (the channel would be disconnected)."""
        self.ensure_one()
        # pending changes of this channel go first: written, they lock its row, and the tokens follow
        # them in this transaction (below)
        self.sudo().flush_recordset()
        stored = False
        try:
            with self.env.registry.cursor() as cr, mute_logger("odoo.sql_db"):  # a held lock is expected
                cr.execute(SQL("SELECT id FROM sysengage_einvoice_channel WHERE id = %s FOR UPDATE NOWAIT", self.id))
                if cr.fetchone():
                    # tokens are system fields: written for this one channel
                    self.with_env(self.env(cr=cr)).sudo().write(vals)
                    stored = True
        except psycopg2.errors.LockNotAvailable:
            _logger.debug("eBill channel %s is edited in this transaction: its tokens are stored with it", self.id)
        if stored:
            # this transaction still sees the former row (its snapshot predates the commit above):
            # it goes on with the new tokens from its cache
            self.sudo()._update_cache(vals)
        else:
            # this very transaction created or edits the channel (its form being saved): stored with it
            self.sudo().write(vals)

    def _ebill_access_token(self, force_refresh=False):
        """A valid access token: the stored one, renewed first when it expires within a minute (or
        when ``force_refresh``, after a 401) with the refresh token, or the client credentials."""
        self.ensure_one()
        channel = self.sudo()  # the tokens are system fields, read for this one channel's transport
        token, expiry = channel.api_token, channel.ebill_oauth_token_expiry
        if token and not force_refresh and (not expiry or expiry - REFRESH_MARGIN > fields.Datetime.now()):
            return token
        if channel.ebill_oauth_refresh_token:
            return self._ebill_token_request(
                {"grant_type": "refresh_token", "refresh_token": channel.ebill_oauth_refresh_token}
            )
        if channel.ebill_auth_method == "client_credentials" and channel.ebill_oauth_client_id:
            return self._ebill_token_request({"grant_type": "client_credentials", "scope": channel.ebill_oauth_scope})
        if not channel.ebill_oauth_client_id and not token:
            self._require(channel, "ebill_oauth_client_id", self.env._("OAuth2 client ID"))
        raise SysengageEinvoiceBuildError(
            self.env._(
                "Channel %(channel)s is not connected to eBill (access token expired or refused, no refresh "
                "token): use Connect to eBill.",
                channel=self.display_name,
            )
        )

    def _ebill_call(self, url, body, headers, method="POST"):
        """Call the Software Partner API with the Bearer access token; on a 401 the token is
        renewed once and the call repeated."""
        token = self._ebill_access_token()
        for retry in (False, True):
            try:
                return transport.https_post(
                    url,
                    body,
                    dict(headers, Authorization=f"Bearer {token}"),
                    ca_pem=self._sudo_secret("tls_ca_cert"),
                    timeout=self.timeout,
                    method=method,
                )
            except transport.UnauthorizedError as error:
                if retry:
                    raise SysengageEinvoiceBuildError(
                        self.env._(
                            "eBill refused the renewed access token of channel %(channel)s: %(reason)s",
                            channel=self.display_name,
                            reason=str(error),
                        )
                    ) from error
                token = self._ebill_access_token(force_refresh=True)
        return None

    def _build_files(self, move):
        if self.channel_type != "ebill":
            return super()._build_files(move)
        partner = move.partner_id.commercial_partner_id
        recipient = self._require(partner, "sysengage_ebill_recipient_id", self.env._("eBill recipient ID"))
        biller = self._require(self, "ebill_biller_id", self.env._("eBill biller ID"))
        pdf = self._invoice_pdf(move)
        data = self._yellowbill_data(move, biller, recipient, pdf)
        xml = build_yellowbill(data)
        errors = yellowbill_errors(xml)
        if errors:
            raise SysengageEinvoiceBuildError(
                self.env._("The yellowbill XML fails its schema: %(errors)s", errors="; ".join(errors[:5]))
            )
        base = self._file_base(move)
        return [
            {"name": f"{base}.xml", "raw": xml, "mimetype": "application/xml", "main": True},
            {"name": f"{base}.pdf", "raw": pdf, "mimetype": "application/pdf", "main": False},
        ]

    def _yellowbill_data(self, move, biller, recipient, pdf):
        data = self.env["sysengage.einvoice.document"]._invoice_values(move)
        company_partner = move.company_id.partner_id
        return {
            "biller_id": biller,
            "recipient_id": recipient,
            "transaction_id": f"{move.company_id.id}-{move.id}-{move.name}",
            "delivery_date": fields.Date.context_today(self),
            "document_type": "CREDITADVICE" if move.move_type == "out_refund" else "BILL",
            "document_id": move.name,
            "document_date": move.invoice_date,
            "sender": {"address": data["supplier"], "tax_id": company_partner.vat or ""},
            "receiver": {"address": data["customer"], "customer_id": move.partner_id.commercial_partner_id.ref or ""},
            "tax_liability": "VAT" if move.company_id.vat else "FRE",
            "order_reference": move.ref or "",
            "currency": move.currency_id.name,
            "language": (move.partner_id.lang or "de")[:2]
            if (move.partner_id.lang or "de")[:2] in ("de", "fr", "it", "en")
            else "de",
            "payment": {
                "due_date": move.invoice_date_due or move.invoice_date,
                "iban": move.partner_bank_id.l10n_ch_qr_iban or move.partner_bank_id.sanitized_acc_number or "",
                "creditor_name": move.company_id.name,
                "reference": move.payment_reference or "",
            },
            "lines": data["lines"],
            "taxes": data["taxes"],
            "total_excl": data["total_excl"],
            "total_incl": data["total_incl"],
            "total_due": move.amount_residual,
            "pdf": pdf,
            "pdf_name": f"{self._file_base(move)}.pdf",
        }

    def _transport(self, document, files):
        if self.channel_type != "ebill":
            return super()._transport(document, files)
        if not self.url:
            raise transport.RejectedError(self.env._("API URL is missing on channel %s.", self.display_name))
        xml_name = next(name for name in files if name.endswith(".xml"))
        pdf_name = next(name for name in files if name.endswith(".pdf"))
        body = self._pdf_with_attachment(files[pdf_name], xml_name, files[xml_name])
        move = document.move_id
        headers = {
            "X-CORRELATION-ID": document.uuid,
            "X-FILENAME": pdf_name[:99],
            "X-BCFORMAT": "yellowbill",
            "X-BCFUNCTION": "creditnote" if move.move_type == "out_refund" else "bill",
            "Content-Type": "application/pdf",
        }
        url = f"{self.url.rstrip('/')}/billers/{self.ebill_biller_id}/business-cases"
        _status, text = self._ebill_call(url, body, headers)
        try:
            business_case = json.loads(text).get("id")
        except (ValueError, AttributeError):
            business_case = False
        return {"state": "sent", "external_id": business_case, "message": self.env._("Business case created.")}

    def _pdf_with_attachment(self, pdf, name, raw):
        """The invoice PDF with the yellowbill XML embedded, appended to the PDF (an incremental update): the
        signature of an archived invoice PDF still verifies in the copy the bill recipient gets."""
        try:
            return pdf_attach.attach_file(pdf, name, raw, "application/xml")
        except pdf_attach.PdfAttachError as error:
            raise SysengageEinvoiceBuildError(
                self.env._("The invoice PDF cannot carry the eBill XML %(name)s: %(error)s", name=name, error=error)
            ) from error

    def _fetch_status(self, document):
        """Ask the eBill network for the status of a sent business case; returns (state, message)
        with state in acknowledged/rejected, or False while the recipient has not acted."""
        if self.channel_type != "ebill":
            return super()._fetch_status(document)
        url = f"{self.url.rstrip('/')}/billers/{self.ebill_biller_id}/business-cases/{document.external_id}"
        headers = {"X-CORRELATION-ID": document.uuid, "Accept": "application/json"}
        try:
            _status, text = self._ebill_call(url, None, headers, method="GET")
        except SysengageEinvoiceBuildError as error:
            # not connected: the status check reports it and keeps the document as it is
            raise transport.RejectedError(str(error.args[0])) from error
        try:
            status = json.loads(text).get("status")
        except (ValueError, AttributeError):
            status = None
        if status in ("OPEN", "APPROVED", "COMPLETED"):
            return "acknowledged", self.env._("eBill status: %s", status)
        if status == "REJECTED":
            return "rejected", self.env._("The bill recipient rejected the business case in eBill.")
        return False, False
