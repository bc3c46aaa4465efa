from odoo.tests import tagged

from odoo.addons.sysengage_crm_light.tests.common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestOutlookConfiguration(CrmLightCommon):
    def test_settings_needed_by_microsoft_calendar(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("web.base.url", "http://localhost:8069")
        params.set_param("microsoft_calendar_client_id", "")
        params.set_param("microsoft_calendar_client_secret", "")
        Settings = self.env["res.config.settings"]
        self.assertEqual(len(Settings._sysengage_outlook_config_issues()), 3)

        settings = Settings.create(
            {"cal_microsoft_client_id": "11111111-2222-3333-4444-555555555555", "cal_microsoft_client_secret": "s3cret"}
        )
        settings.execute()
        params.set_param("web.base.url", "https://crm.example.ch")
        self.assertEqual(params.get_param("microsoft_calendar_client_id"), "11111111-2222-3333-4444-555555555555")
        self.assertEqual(Settings._sysengage_outlook_config_issues(), [])
        # microsoft_calendar reads the same keys to build the authorisation URL of a rep
        service = self.env["microsoft.service"]
        self.assertEqual(service._get_microsoft_client_id("calendar"), "11111111-2222-3333-4444-555555555555")
        url = service._get_authorize_uri(
            "https://crm.example.ch/odoo",
            "calendar",
            scope=service._get_calendar_scope(),
            redirect_uri="https://crm.example.ch/microsoft_account/authentication",
        )
        self.assertIn("client_id=11111111-2222-3333-4444-555555555555", url)
        self.assertIn("login.microsoftonline.com", url)

        params.set_param("microsoft_calendar_sync_paused", "True")
        self.assertEqual(len(Settings._sysengage_outlook_config_issues()), 1)
        params.set_param("microsoft_calendar_sync_paused", "")
        self.assertTrue(Settings.create({}).sysengage_outlook_status.startswith("Ready"))
        paused = Settings.create({"cal_microsoft_sync_paused": True})
        self.assertIn("paused", paused.sysengage_outlook_status)
