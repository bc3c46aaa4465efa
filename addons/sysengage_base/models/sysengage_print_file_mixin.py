from odoo import models
from odoo.tools.pdf import merge_pdf


class SysengagePrintFileMixin(models.AbstractModel):
    """Records printed from the PDF file they store (a scanned letter, a signed contract), not from a report.

    An addon declares its model printable this way by inheriting the mixin and returning the record's
    current PDF in :meth:`_sysengage_print_file`. The print dialog (``sysengage.print.wizard``) then prints,
    downloads or e-mails that file, and the browser-side print opens it through
    ``/sysengage/print/file/<model>/<ids>``. Models without the mixin are printed with their QWeb reports.
    """

    _name = "sysengage.print.file.mixin"
    _description = "Printable Stored PDF (Sysengage)"

    def _sysengage_print_file(self):
        """``(file name, PDF bytes)`` of this record's current file; a UserError when it is not a PDF."""
        raise NotImplementedError(f"{self._name} must return the PDF file it prints")

    def _sysengage_print_files_pdf(self):
        """``(file name, PDF bytes)``: the file of one record, or the files of several merged in order."""
        self.check_access("read")
        files = [record._sysengage_print_file() for record in self]
        if len(files) == 1:
            return files[0]
        return self.env._("%(count)s documents.pdf", count=len(files)), merge_pdf([content for _name, content in files])

    def _sysengage_print_recipients(self):
        """Partners the print dialog proposes when the file is sent by e-mail; override to propose some."""
        return self.env["res.partner"]
