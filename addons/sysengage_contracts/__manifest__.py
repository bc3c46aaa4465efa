{
    "name": "Sysengage Contracts",
    "summary": "Recurring contract billing, exactly one invoice per contract and period",
    "version": "19.0.1.0.0",
    "category": "Sales/Subscriptions",
    "website": "https://github.com/sysengage/sysengage",
    "author": "Sysengage",
    "maintainers": ["sysengage"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["sysengage_base", "account", "sale"],
    "external_dependencies": {"python": []},
    "data": [
        "security/sysengage_contracts_security.xml",
        "security/ir.model.access.csv",
        "security/sysengage_contracts_rules.xml",
        "data/sysengage_contracts_data.xml",
        "views/sysengage_contract_views.xml",
        "views/sysengage_contract_template_views.xml",
        "views/sysengage_contract_wizard_views.xml",
        "views/core_views.xml",
        "views/sysengage_contracts_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sysengage_contracts/static/src/tours/*.js",
        ],
    },
    "demo": [
        "demo/sysengage_contracts_demo.xml",
    ],
}
