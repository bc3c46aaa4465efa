{
    "name": "Sysengage CRM Light with GED",
    "summary": "Letters and documents generated from templates are filed in the GED",
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
    "depends": ["sysengage_crm_light", "sysengage_ged"],
    "data": [
        "security/ir.model.access.csv",
        "views/sysengage_document_template_views.xml",
    ],
}
