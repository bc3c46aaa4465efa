{
    "name": "Sysengage GED for Contracts",
    "summary": "Documents smart button on contracts",
    "version": "19.0.1.0.0",
    "category": "Productivity/Documents",
    "website": "https://github.com/sysengage/sysengage",
    "author": "Sysengage",
    "maintainers": ["sysengage"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["sysengage_ged", "sysengage_contracts"],
    "data": [
        "security/ir.model.access.csv",
        "views/sysengage_contract_views.xml",
    ],
}
