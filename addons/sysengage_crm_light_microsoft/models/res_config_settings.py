from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sysengage_outlook_status = fields.Text(string="Outlook sync check", compute="_compute_sysengage_outlook_status")

    @api.depends("cal_microsoft_client_id", "cal_microsoft_client_secret", "cal_microsoft_sync_paused")
    def _compute_sysengage_outlook_status(self):
        for settings in self:
            issues = self._sysengage_outlook_config_issues(
                client_id=settings.cal_microsoft_client_id,
                client_secret=settings.cal_microsoft_client_secret,
                paused=settings.cal_microsoft_sync_paused,
            )
            settings.sysengage_outlook_status = (
                "\n".join(issues) if issues else self.env._("Ready: each rep can now connect their Outlook calendar.")
            )

    @api.model
    def _sysengage_outlook_config_issues(self, client_id=None, client_secret=None, paused=None):
        """What keeps the reps' calendars from syncing with Outlook (empty when nothing does).

        The settings microsoft_calendar needs: the Azure application's client id and secret
        (``microsoft_calendar_client_id`` / ``microsoft_calendar_client_secret``), a public
        ``web.base.url`` in https (Azure only redirects to https), the sync not paused.
        """
        # the system parameters are only readable by administrators: read the three keys alone
        params = self.env["ir.config_parameter"].sudo()
        if client_id is None:
            client_id = params.get_param("microsoft_calendar_client_id")
        if client_secret is None:
            client_secret = params.get_param("microsoft_calendar_client_secret")
        if paused is None:
            paused = params.get_param("microsoft_calendar_sync_paused")
        base_url = params.get_param("web.base.url") or ""
        issues = []
        if not client_id:
            issues.append(self.env._("Set the Client ID of the Azure application (Outlook Calendar)."))
        if not client_secret:
            issues.append(self.env._("Set the Client Secret of the Azure application (Outlook Calendar)."))
        if not base_url.startswith("https://"):
            issues.append(
                self.env._(
                    "The web base URL %(url)s must use https: Azure redirects to "
                    "%(url)s/microsoft_account/authentication only over https.",
                    url=base_url,
                )
            )
        if paused:
            issues.append(self.env._("The Outlook synchronisation is paused."))
        return issues
