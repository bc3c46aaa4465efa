"""Files attached to a PDF in an incremental update (plain Python, pyHanko).

The PDF's bytes are kept as they are and the file is appended in a new revision: a signature the PDF
carries (the GED's signed archive of an invoice) still verifies, which rewriting the PDF would break.
"""

import io

from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader


class PdfAttachError(ValueError):
    """The PDF cannot take the file (unreadable, or its embedded files are kept in a form not extended here)."""


def is_signed(pdf):
    """Whether ``pdf`` (bytes) carries a signature (then only an incremental update keeps it valid)."""
    try:
        return bool(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)
    except (PdfError, NotImplementedError, ValueError, KeyError, TypeError):
        return False


def _embedded_names(root):
    """The names of the files the document embeds, or None when they are kept in a nested name tree."""
    if "/Names" not in root or "/EmbeddedFiles" not in root["/Names"]:
        return []
    tree = root["/Names"]["/EmbeddedFiles"]
    if "/Kids" in tree:
        return None
    names = tree["/Names"] if "/Names" in tree else []
    return [str(names[index]) for index in range(0, len(names), 2)]


def attach_file(pdf, name, data, mimetype, relationship=None, metadata=None, lang=None):
    """``pdf`` (bytes) with ``data`` embedded as the file ``name`` (``mimetype``), appended to it.

    ``relationship`` (e.g. ``"Data"``) also makes the file an associated file of the document (``/AF``, as
    Factur-X asks); a PDF that already embeds a file of that name (a signed archive embeds its Factur-X XML in
    the signed revision) keeps it. ``metadata`` (XMP bytes) becomes the document's metadata stream and ``lang``
    its language, in the same revision."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        present = _embedded_names(writer.root)
        if present is None:
            raise PdfAttachError("the PDF keeps its embedded files in a nested name tree")
        if name not in present:
            stream = embed.EmbeddedFileObject.from_file_data(
                writer, data, mime_type=mimetype, params=embed.EmbeddedFileParams()
            )
            # the relationship is written on the file specification below: given to pyHanko, it would raise the
            # document's version to PDF 2.0
            embed.embed_file(writer, embed.FileSpec(file_spec_string=name, file_name=name, embedded_data=stream))
            if relationship:
                spec_ref = writer.root["/Names"]["/EmbeddedFiles"]["/Names"][-1]
                spec_ref.get_object()["/AFRelationship"] = generic.pdf_name(f"/{relationship}")
                if "/AF" in writer.root:
                    associated = writer.root["/AF"]
                    associated.append(spec_ref)
                    if isinstance(writer.root.raw_get("/AF"), generic.IndirectObject):
                        writer.update_container(associated)
                else:
                    writer.root["/AF"] = generic.ArrayObject([spec_ref])
                writer.update_root()
        if metadata:
            stream = generic.StreamObject(
                {"/Type": generic.pdf_name("/Metadata"), "/Subtype": generic.pdf_name("/XML")}, stream_data=metadata
            )
            writer.root["/Metadata"] = writer.add_object(stream)
            writer.update_root()
        if lang:
            writer.root["/Lang"] = generic.TextStringObject(lang)
            writer.update_root()
        output = io.BytesIO()
        writer.write(output)
    except (PdfError, NotImplementedError) as error:
        raise PdfAttachError(str(error)) from error
    return output.getvalue()
