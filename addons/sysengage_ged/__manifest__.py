{
    "name": "Sysengage GED",
    "summary": "Documents on business records and immutable, timestamped, signed invoice archives",
    "version": "19.0.1.0.0",
    "category": "Productivity/Documents",
    "website": "https://github.com/sysengage/sysengage",
    "author": "Sysengage",
    "maintainers": ["sysengage"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["mail", "account"],
    "external_dependencies": {
        "python": ["python-magic", "pyHanko", "pyhanko-certvalidator", "asn1crypto", "cryptography"]
    },
    "data": [
        "security/sysengage_ged_security.xml",
        "security/ir.model.access.csv",
        "security/sysengage_ged_rules.xml",
        "data/sysengage_ged_folder_data.xml",
        "data/ir_cron_data.xml",
        "views/sysengage_ged_document_views.xml",
        "views/sysengage_ged_folder_views.xml",
        "views/sysengage_ged_tag_views.xml",
        "views/sysengage_ged_archive_views.xml",
        "views/sysengage_ged_archive_head_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/account_journal_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/sysengage_ged_archive_verify_views.xml",
        "views/sysengage_ged_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "sysengage_ged/static/src/views/**/*",
        ],
        "web.assets_tests": [
            "sysengage_ged/static/src/tours/**/*",
        ],
    },
    "demo": ["demo/sysengage_ged_demo.xml"],
}
