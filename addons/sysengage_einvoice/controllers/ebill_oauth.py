from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from odoo.addons.sysengage_einvoice.models.sysengage_einvoice_channel_ebill import CALLBACK_PATH


class SysengageEbillOAuthController(http.Controller):
    """Redirect URI of the eBill OAuth2 authorization code grant."""

    @http.route(CALLBACK_PATH, type="http", auth="user", methods=["GET"])
    def ebill_oauth_callback(self, state=None, code=None, error=None, error_description=None, **kwargs):
        # the state names the channel and must be the one-time value issued to this user by
        # "Connect to eBill" (CSRF): anything else is refused before any token request
        channel = request.env["sysengage.einvoice.channel"]._ebill_from_state(state)
        if not channel:
            raise Forbidden(request.env._("This eBill authorization answer is unknown, expired or already used."))
        channel._ebill_authorized(code=code, error=error, error_description=error_description)
        return request.redirect(f"/odoo/action-sysengage_einvoice.sysengage_einvoice_channel_action/{channel.id}")
