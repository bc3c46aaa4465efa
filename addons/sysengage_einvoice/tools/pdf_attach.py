"""A file attached to a PDF in an incremental update (plain Python, pyHanko).

The PDF's bytes are kept as they are and the file is appended in a new revision: a signature the PDF
carries (the GED's signed archive of an invoice) still verifies, which rewriting the PDF would break.
"""

import io

from pyhanko.pdf_utils import embed
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError


class PdfAttachError(ValueError):
    """The PDF cannot take the file (unreadable, or its embedded files are kept in a form not extended here)."""


def attach_file(pdf, name, data, mimetype):
    """``pdf`` (bytes) with ``data`` embedded as the file ``name`` (``mimetype``), appended to it."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        stream = embed.EmbeddedFileObject.from_file_data(
            writer, data, mime_type=mimetype, params=embed.EmbeddedFileParams()
        )
        embed.embed_file(writer, embed.FileSpec(file_spec_string=name, file_name=name, embedded_data=stream))
        output = io.BytesIO()
        writer.write(output)
    except (PdfError, NotImplementedError) as error:
        raise PdfAttachError(str(error)) from error
    return output.getvalue()
