{
    "name": "Sysengage GED Print",
    "summary": "Print dialog (printer, local printer, PDF, e-mail, copies) on GED documents",
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
    "depends": ["sysengage_ged", "sysengage_base"],
    "data": [
        "security/ir.model.access.csv",
        "views/sysengage_print_wizard_views.xml",
    ],
}
