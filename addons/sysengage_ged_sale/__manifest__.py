{
    "name": "Sysengage GED for Offers and Orders",
    "summary": "Documents smart button on offers and orders",
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
    "depends": ["sysengage_ged", "sale"],
    "data": [
        "security/ir.model.access.csv",
        "views/sale_order_views.xml",
    ],
}
