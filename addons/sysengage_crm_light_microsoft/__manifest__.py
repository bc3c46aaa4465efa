{
    "name": "Sysengage CRM Light with Outlook Calendar",
    "summary": "Checks in the settings what keeps the reps' calendars from syncing with Outlook",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sysengage/sysengage",
    "author": "Sysengage",
    "maintainers": ["sysengage"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["sysengage_crm_light", "microsoft_calendar"],
    "data": [
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
    ],
}
