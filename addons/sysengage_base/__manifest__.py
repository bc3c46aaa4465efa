{
    "name": "Sysengage Base",
    "summary": "Swiss SME customers, products, price table, approvals, event history and print profiles",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/sysengage/sysengage",
    "author": "Sysengage",
    "maintainers": ["sysengage"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["contacts", "product", "mail", "account"],
    "external_dependencies": {"python": ["python-stdnum", "xlrd", "openpyxl"]},
    "data": [
        "security/sysengage_base_security.xml",
        "security/ir.model.access.csv",
        "views/sysengage_base_menus.xml",
    ],
    "demo": [
        "demo/sysengage_base_demo.xml",
    ],
}
