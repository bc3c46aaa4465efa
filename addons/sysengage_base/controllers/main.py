from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request


class SysengagePrintController(http.Controller):
    @http.route("/sysengage/print/file/<string:model>/<string:ids>", type="http", auth="user", readonly=True)
    def sysengage_print_file(self, model, ids, download=None):
        """The stored PDF of printable records (``sysengage.print.file.mixin``), opened for the local printer.

        The browser-side print of the print dialog for documents that are a file, not a report: shown
        inline (or saved with ``download=1``), with the reading user's rights.
        """
        mixin = request.env.registry["sysengage.print.file.mixin"]
        if model not in request.env or not isinstance(request.env[model], mixin):
            raise request.not_found()
        try:
            record_ids = [int(record_id) for record_id in ids.split(",")]
        except ValueError:
            raise request.not_found() from None
        records = request.env[model].browse(record_ids).exists()
        if not records:
            raise request.not_found()
        try:
            name, content = records._sysengage_print_files_pdf()
        except AccessError as error:
            raise Forbidden() from error
        except UserError as error:
            return request.make_response(
                error.args[0], headers=[("Content-Type", "text/plain; charset=utf-8")], status=400
            )
        disposition = "attachment" if download else "inline"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(name, disposition_type=disposition)),
            ],
        )
