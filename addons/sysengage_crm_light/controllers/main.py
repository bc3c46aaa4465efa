from odoo import http
from odoo.http import content_disposition, request


class SysengageIndicatorController(http.Controller):
    @http.route("/sysengage_crm_light/indicator/<int:indicator_id>/xlsx", type="http", auth="user")
    def indicator_xlsx(self, indicator_id):
        """The indicator as an Excel workbook, computed with the user's own access rights."""
        indicator = request.env["sysengage.indicator"].browse(indicator_id)
        indicator.check_access("read")
        content = indicator._xlsx_content()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Disposition", content_disposition(f"{indicator.name}.xlsx")),
            ],
        )
