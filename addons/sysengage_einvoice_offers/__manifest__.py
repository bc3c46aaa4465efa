{
    "name": "Sysengage E-Invoice for Offers",
    "summary": "Send offers through the dispatch flows: queue, preview, send by e-mail or on paper",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/sysengage/sysengage",
    "author": "Sysengage",
    "maintainers": ["sysengage"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["sysengage_einvoice", "sysengage_offers", "sysengage_ged"],
    "data": [
        "security/ir.model.access.csv",
        "security/sysengage_einvoice_offers_rules.xml",
        "views/sysengage_einvoice_document_views.xml",
        "views/sysengage_dispatch_flow_views.xml",
        "views/sale_order_views.xml",
    ],
    "demo": [
        "demo/sysengage_einvoice_offers_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sysengage_einvoice_offers/static/src/tours/*.js",
        ],
    },
}
