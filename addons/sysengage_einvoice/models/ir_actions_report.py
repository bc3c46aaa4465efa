import io
import logging
import re
import secrets

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import split_every
from odoo.tools.pdf import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    OdooPdfFileReader,
    OdooPdfFileWriter,
    PdfReadError,
    generic,
)

from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.addons.sysengage_base.tools.report_options import OPTIONS_KEY, get_options, with_options

from ..tools.pdf_batch import MARKER_FONT, find_document_starts, merge_html_bodies, squeeze, text_objects
from ..tools.pdf_increment import append_revision, has_xref_table
from ..tools.qr_slip import draw_slips

_logger = logging.getLogger(__name__)
StreamObject = generic.StreamObject

QR_REPORT = "l10n_ch.l10n_ch_qr_report"
# "drawn" (default): the QR-bill slip drawn as PDF from core l10n_ch's payload, in milliseconds;
# "wkhtmltopdf": core l10n_ch's HTML slip, one browser run per invoice
QR_RENDERER_PARAM = "sysengage_einvoice.qr_bill_renderer"
PDF_BATCH_SIZE = 50  # records per wkhtmltopdf run: bounded memory, few process starts
# milliseconds wkhtmltopdf waits for the scripts of a batch run's page (Odoo's report.print_delay, one second by
# default, is kept for every other PDF): an invoice has no script to wait for
BATCH_PRINT_DELAY_PARAM = "sysengage_einvoice.batch_print_delay"
BATCH_PRINT_DELAY_DEFAULT = 200


# A line the report styles hide (static/src/scss/style_probe.scss): found in the PDF, it says that
# wkhtmltopdf rendered the page without its styles (their URL did not answer).
STYLE_PROBE_TEXT = "sysengage-report-styles-missing"
STYLE_PROBE = f'<div class="o_sysengage_style_probe">{STYLE_PROBE_TEXT}</div>'
_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)


# Set in the context by the invoice report's own rendering (an object, which no RPC context can hold): the QR-bill
# pages are overlaid on the invoices by this addon, core l10n_ch's merge gets none
_OVERLAY_KEY = "sysengage_einvoice_qr_overlay"
_OVERLAID = object()
# Set in the context by the batch runs of this addon (an object, as above): their wkhtmltopdf waits the batch delay
_BATCH_RUN_KEY = "sysengage_einvoice_batch_run"
_BATCH_RUN = object()


class SysengageUnstyledPdfError(UserError):
    """A PDF came out of wkhtmltopdf without the report styles: not archived, not sent."""


def with_style_probe(body):
    """``body`` (an HTML document) with the style probe at the start of its body."""
    body = str(body)
    match = _BODY_OPEN.search(body)
    if not match:
        return body
    return body[: match.end()] + STYLE_PROBE + body[match.end() :]


class SysengagePdfBatchError(Exception):
    """A batch of documents could not be cut back into one PDF per record."""


def _page_may_hold_text(page):
    """False when ``page`` uses no font (no font resource, no form XObject that could hold one): it
    has no text to extract. Styled reports draw their web fonts as shapes, and extracting the text of
    such a page parses its whole content stream (seconds per invoice) to find nothing."""
    resources = page.get("/Resources")
    if resources is None:
        return True  # inherited resources: not looked up, the text is extracted
    resources = resources.get_object()
    if resources.get("/Font"):
        return True
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else {}
    return any(xobject.get_object().get("/Subtype") == "/Form" for xobject in xobjects.values())


def _page_text(page, fonts=None):
    """The text of ``page`` (a page of a PDF reader), read from its text objects only (see
    :func:`text_objects`); the whole page when its content cannot be read so. ``fonts``: only the text
    shown in these fonts (resource names, see :func:`_page_font_names`)."""
    if fonts is not None and not fonts:
        return ""
    text_page = page
    try:
        data = _page_content(page)
    except (NotImplementedError, PdfReadError, ValueError):
        data = None  # a filter the PDF library cannot decode: the whole page is read
    if data:
        stream = DecodedStreamObject()
        stream.setData(text_objects(data, fonts))
        text_page = type(page)(page.pdf)
        text_page.update(page)
        text_page[NameObject("/Contents")] = stream
    extract = getattr(text_page, "extract_text", None) or text_page.extractText  # pypdf, else PyPDF2 1.x
    return extract()


def _page_font_names(page, base_font):
    """The resource names (``b"/F7"``) under which ``page`` uses the font ``base_font`` (its PDF name, a subset
    prefix aside); None when the page's fonts cannot be read from its own resources."""
    resources = page.get("/Resources")
    if resources is None:
        return None
    fonts = resources.get_object().get("/Font")
    if fonts is None:
        return set()
    return {
        name.encode()
        for name, font in fonts.get_object().items()
        if str(font.get_object().get("/BaseFont", "")).lstrip("/").split("+")[-1] == base_font
    }


class _Revision:
    """The objects of a revision appended to the PDF that ``reader`` reads (see ``tools/pdf_increment``):
    objects added, objects of the file replaced, objects of another PDF copied in."""

    def __init__(self, reader):
        self.reader = reader
        self.size = self.next_number = int(reader.trailer["/Size"])
        self.objects = {}
        self._copied = {}

    @staticmethod
    def possible(content, reader):
        """Whether a revision can be appended to ``content`` (read by ``reader``): its last cross-reference
        is a table and it is not encrypted."""
        return has_xref_table(content) and not reader.isEncrypted

    def add(self, obj):
        """A reference to ``obj``, a new object of the revision (written when the revision is)."""
        number, self.next_number = self.next_number, self.next_number + 1
        self.objects[number, 0] = obj
        return IndirectObject(number, 0, self.reader)

    def replace(self, reference, obj):
        """``obj`` instead of the object of the file at ``reference``."""
        self.objects[reference.idnum, reference.generation] = obj

    def copy_in(self, obj):
        """``obj``, of another PDF, with every object it refers to added to this revision."""
        if isinstance(obj, IndirectObject):
            key = (id(obj.pdf), obj.idnum, obj.generation)
            if key not in self._copied:
                number, self.next_number = self.next_number, self.next_number + 1
                self._copied[key] = IndirectObject(number, 0, self.reader)
                self.objects[number, 0] = self.copy_in(obj.get_object())
            return self._copied[key]
        if isinstance(obj, StreamObject):
            stream = type(obj)()
            stream._data = obj._data  # the encoded data, under the same filters
            stream.update({name: self.copy_in(value) for name, value in obj.items() if name != "/Length"})
            return stream
        if isinstance(obj, DictionaryObject):
            return DictionaryObject({name: self.copy_in(value) for name, value in obj.items()})
        if isinstance(obj, ArrayObject):
            return ArrayObject([self.copy_in(value) for value in obj])
        return obj

    def append_to(self, content):
        """``content`` with this revision appended."""
        trailer = self.reader.trailer
        names = [name for name in ("/Root", "/Info", "/ID") if name in trailer]
        entries = b" ".join(name.encode() + b" " + _serialize(trailer.raw_get(name)) for name in names)
        objects = {key: _serialize(obj) for key, obj in self.objects.items()}
        return append_revision(content, objects, self.size, entries)


def _serialize(obj):
    stream = io.BytesIO()
    obj.write_to_stream(stream, None)
    return stream.getvalue()


def with_outline(content, starts):
    """``content`` with a top-level outline entry per document start, the structure by which the
    base report engine splits a batch PDF per record (as a patched-Qt wkhtmltopdf would write it). The
    outline is appended as a revision: the pages are neither parsed nor written again."""
    reader = OdooPdfFileReader(io.BytesIO(content), strict=False)
    root_reference = reader.trailer.raw_get("/Root")
    if not _Revision.possible(content, reader) or not isinstance(root_reference, IndirectObject):
        return _with_outline_written(reader, starts)
    revision = _Revision(reader)
    root = DictionaryObject(root_reference.get_object())
    outlines, dests = _outline(starts, revision.add)
    root[NameObject("/Outlines")] = revision.add(outlines)
    root[NameObject("/Dests")] = revision.add(dests)
    revision.replace(root_reference, root)
    return revision.append_to(content)


def _with_outline_written(reader, starts):
    """:func:`with_outline` for a PDF to which no revision can be appended: the whole file written again."""
    writer = OdooPdfFileWriter()
    writer.cloneReaderDocumentRoot(reader)
    outlines, dests = _outline(starts, writer._addObject)
    writer._root_object[NameObject("/Outlines")] = writer._addObject(outlines)
    writer._root_object[NameObject("/Dests")] = writer._addObject(dests)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def _outline(starts, add):
    """The outline (its root, each entry added with ``add``, which returns a reference) and the named
    destinations of a document starting on each page of ``starts``."""
    dests = DictionaryObject()
    nodes = []
    for index, start in enumerate(starts):
        name = NameObject(f"/sysengage_doc_{index}")
        dests[name] = ArrayObject([NumberObject(start), NameObject("/Fit")])
        nodes.append(DictionaryObject({NameObject("/Title"): name, NameObject("/Dest"): name}))
    references = [add(node) for node in nodes]
    for node, following in zip(nodes, references[1:], strict=False):
        node[NameObject("/Next")] = following
    outlines = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Outlines"),
            NameObject("/First"): references[0],
            NameObject("/Last"): references[-1],
            NameObject("/Count"): NumberObject(len(nodes)),
        }
    )
    return outlines, dests


def overlay_last_page(content, overlay):
    """``content`` (PDF bytes) with the first page of ``overlay`` (PDF bytes, the same page size) drawn over
    its last page, as core l10n_ch puts the QR-bill on the invoice, without parsing either page's drawing:
    the overlay page becomes a form XObject that the last page draws after its own content. A styled
    report's last page is hundreds of kilobytes of paths (its web fonts drawn as shapes), which core's page
    merge parses and writes again (a third of a second per invoice). The form, its resources and the last
    page's new version are appended to the file as a revision: nothing of the invoice is written again."""
    reader = OdooPdfFileReader(io.BytesIO(content), strict=False)
    overlay_page = OdooPdfFileReader(io.BytesIO(overlay), strict=False).getPage(0)
    last = reader.getPage(reader.getNumPages() - 1)
    last_reference = getattr(last, "indirect_reference", None)
    if not _Revision.possible(content, reader) or last_reference is None:
        return _overlay_written(reader, last, overlay_page)
    revision = _Revision(reader)
    contents = overlay_page.get("/Contents")
    if isinstance(contents, StreamObject):
        form = revision.copy_in(contents)  # its data as encoded (compressed), not decoded
    else:
        form = DecodedStreamObject()
        form.setData(_page_content(overlay_page))
    resources = overlay_page.raw_get("/Resources") if "/Resources" in overlay_page else DictionaryObject()
    form.update(_form_entries(overlay_page, revision.copy_in(resources)))
    page = DictionaryObject(last)
    _draw_form_last(page, revision.add(form), revision.add)
    revision.replace(last_reference, page)
    return revision.append_to(content)


def _overlay_written(reader, last, overlay_page):
    """:func:`overlay_last_page` for a PDF to which no revision can be appended: the whole file written
    again."""
    writer = OdooPdfFileWriter()
    for page in range(reader.getNumPages() - 1):
        writer.addPage(reader.getPage(page))
    form = DecodedStreamObject()
    form.setData(_page_content(overlay_page))
    form.update(_form_entries(overlay_page, overlay_page.get("/Resources", DictionaryObject())))
    _draw_form_last(last, writer._addObject(form), writer._addObject)
    writer.addPage(last)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def _form_entries(overlay_page, resources):
    """The dictionary entries that make a form XObject of ``overlay_page``'s content, with ``resources``."""
    return {
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(overlay_page.mediaBox),
        NameObject("/Resources"): resources,
    }


def _draw_form_last(page, form_reference, add):
    """Make ``page`` (a page dictionary) draw the form at ``form_reference`` after its own content, in the
    default graphics state; ``add`` adds a new object and returns its reference."""
    # the last page's resources may be shared with other pages: this page gets its own copy
    resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    name = NameObject("/SysengageOverlay")
    xobjects[name] = form_reference
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    # the page's own content inside q ... Q, so that the overlay starts from the default graphics state
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else ArrayObject()
    parts = list(contents) if isinstance(contents, ArrayObject) else [page.raw_get("/Contents")]
    save, restore = DecodedStreamObject(), DecodedStreamObject()
    save.setData(b"q\n")
    restore.setData(b"\nQ\nq " + name.encode() + b" Do Q\n")
    page[NameObject("/Contents")] = ArrayObject([add(save), *parts, add(restore)])


def _page_content(page):
    """The decoded content stream of ``page`` (its streams joined when it has several)."""
    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    return b"\n".join(stream.get_object().get_data() for stream in streams)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # Override of l10n_ch: the QR-bill page is only rendered for invoices printed with their payment part
    # (see account.move._sysengage_wants_payment_part: forced by the options, else the invoice's choice,
    # else the print profile of the invoice report, else the customer default). The options of the
    # rendering come in ``data`` (sysengage_base/tools/report_options.py).
    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report = self._get_report(report_ref)
        options = get_options(data)
        if res_ids and report.report_name == "l10n_ch.qr_report_main":
            if self.env.context.get(_OVERLAY_KEY) is _OVERLAID:
                return {}  # core l10n_ch's page merge inside an invoice report: the slips are overlaid below
            moves = (
                self.env["account.move"]
                .browse(res_ids)
                .filtered(lambda move: move._sysengage_prints_payment_part(options))
            )
            if not moves:
                return {}
            if self._sysengage_draws_qr_bills():
                return {
                    move.id: {"stream": io.BytesIO(pdf), "attachment": None}
                    for move, pdf in zip(moves, self._sysengage_draw_qr_bills(moves), strict=True)
                }
            res_ids = moves.ids
        elif res_ids and report.model == "account.move":
            # the QR-bill page that l10n_ch renders inside this report gets the profile of this report
            profile = self.env["sysengage.print.profile"]._get_profile(report)
            data = with_options(data, print_profile_id=profile.id)
        if options.batch:
            # wkhtmltopdf is run without the report data: the batch option reaches it in the context, as
            # the options object itself (which an RPC context cannot hold)
            self = self.with_context(**{OPTIONS_KEY: options})
        overlaid = bool(res_ids) and self._is_invoice_report(report_ref) and self._sysengage_draws_qr_bills()
        if overlaid:
            # core l10n_ch merges the QR-bill page into the invoice's last page by parsing both pages; the drawn
            # slips are put over it here instead (overlay_last_page): the same page, without the parsing
            self = self.with_context(**{_OVERLAY_KEY: _OVERLAID})
        streams = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        if overlaid:
            self._sysengage_overlay_qr_bills(streams, self.env[report.model].browse(res_ids), data)
        if res_ids and report.model == "sysengage.reminder":
            # a payment reminder carries the QR-bill of each invoice's open amount (core l10n_ch)
            streams = self.env["sysengage.reminder"]._append_qr_bills(streams)
        return streams

    # Override of base: in a batch, a wkhtmltopdf built on unpatched Qt (it converts one document per
    # run) gets all bodies as the pages of one document, cut back per record where the invisible
    # marker printed at the start of each body is found.
    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        args = {
            "report_ref": report_ref,
            "header": header,
            "footer": footer,
            "landscape": landscape,
            "specific_paperformat_args": specific_paperformat_args,
            "set_viewport_size": set_viewport_size,
        }
        content = self._sysengage_run_wkhtmltopdf_batch([with_style_probe(body) for body in bodies], args)
        self._sysengage_check_styles(content)
        return content

    def _sysengage_check_styles(self, content):
        """Refuse a PDF rendered without the report styles (the probe they hide is printed)."""
        reader = OdooPdfFileReader(io.BytesIO(content), strict=False)
        if not reader.getNumPages() or not _page_may_hold_text(reader.getPage(0)):
            return
        if STYLE_PROBE_TEXT not in squeeze(_page_text(reader.getPage(0))):
            return
        url = self._get_report_url()
        _logger.error("PDF rendered without its styles: wkhtmltopdf could not load them from %s", url)
        raise SysengageUnstyledPdfError(
            self.env._(
                "The PDF was rendered without its styles: wkhtmltopdf could not load them from %(url)s. "
                "An administrator must set the address at which this server reaches itself (system parameter "
                "report.url, else web.base.url; see Settings > E-invoicing > PDF renderer); the document "
                "is kept to retry.",
                url=url,
            )
        )

    def _sysengage_run_wkhtmltopdf_batch(self, bodies, args):
        if len(bodies) < 2 or not get_options(self.env.context).batch or _wkhtml().is_patched_qt:
            return super()._run_wkhtmltopdf(bodies, **args)
        report_ref = args["report_ref"]
        if report_ref and self._get_report(report_ref) == self.env.ref(QR_REPORT, raise_if_not_found=False):
            # the QR-bill's absolutely placed payment part does not survive being one page of a longer
            # document (its slips pile up): one run per record, the pages put together
            run = super()._run_wkhtmltopdf
            return self._sysengage_concatenate([run([body], **args) for body in bodies])
        # a random marker per body (not a business text, which another document could quote)
        batch = secrets.token_hex(6)
        markers = [f"sgpdf{batch}n{index:04d}" for index in range(len(bodies))]
        run = super(IrActionsReport, self.with_context(**{_BATCH_RUN_KEY: _BATCH_RUN}))._run_wkhtmltopdf
        content = run([merge_html_bodies(bodies, markers)], **args)
        # cut only where the markers say (even when each record seems to make one page: a layout that
        # does not break pages as asked must not hand a record another record's page)
        reader = OdooPdfFileReader(io.BytesIO(content), strict=False)
        pages = [reader.getPage(page) for page in range(reader.getNumPages())]
        # only the text printed in the markers' font is read (a page in real fonts is thousands of glyphs); when
        # no page uses that font (not installed: the markers took another), every page is read whole
        fonts = [_page_font_names(page, MARKER_FONT) for page in pages]
        if not any(fonts):
            fonts = [None] * len(pages)
        texts = [squeeze(_page_text(page, page_fonts)) for page, page_fonts in zip(pages, fonts, strict=True)]
        starts = find_document_starts(texts, markers)
        if not starts:
            raise SysengagePdfBatchError(f"{len(bodies)} documents made {len(texts)} pages, not split")
        return with_outline(content, starts)

    # Override of base: the script delay of this addon's batch runs (see BATCH_PRINT_DELAY_PARAM)
    def _build_wkhtmltopdf_args(
        self, paperformat_id, landscape, specific_paperformat_args=None, set_viewport_size=False
    ):
        command_args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if self.env.context.get(_BATCH_RUN_KEY) is _BATCH_RUN and "--javascript-delay" in command_args:
            command_args[command_args.index("--javascript-delay") + 1] = str(self._sysengage_batch_print_delay())
        return command_args

    @api.model
    def _sysengage_batch_print_delay(self):
        """The script delay of a batch run, in milliseconds (a system parameter, set in the settings)."""
        # sudo: a system parameter read, as core reads report.print_delay
        value = self.env["ir.config_parameter"].sudo().get_param(BATCH_PRINT_DELAY_PARAM)
        try:
            return max(int(value), 0) if value not in (None, False, "") else BATCH_PRINT_DELAY_DEFAULT
        except ValueError:
            return BATCH_PRINT_DELAY_DEFAULT

    def _sysengage_overlay_qr_bills(self, streams, invoices, data):
        """Draw the QR-bill slip over the last page of each of ``invoices`` rendered in ``streams`` that core
        l10n_ch would give one (a valid QR-bill, printed with its payment part)."""
        moves = invoices.filtered(lambda move: move.id in streams and move.l10n_ch_is_qr_valid)
        if not moves:
            return  # (no records would render the QR report for every record of its model)
        slips = self.with_context(**{_OVERLAY_KEY: None})._render_qweb_pdf_prepare_streams(
            QR_REPORT, data, res_ids=moves.ids
        )
        for move_id, slip in slips.items():
            stream = streams[move_id]["stream"]
            streams[move_id]["stream"] = io.BytesIO(overlay_last_page(stream.getvalue(), slip["stream"].getvalue()))
            stream.close()
            slip["stream"].close()

    @api.model
    def _sysengage_renders_batches(self):
        # Override of sysengage_base: a batch run is cut back into one PDF per record here (with_outline)
        return True

    @api.model
    def _sysengage_draws_qr_bills(self):
        # sudo: a system parameter read, as core reads report.url; the value only picks the renderer
        return self.env["ir.config_parameter"].sudo().get_param(QR_RENDERER_PARAM, "drawn") != "wkhtmltopdf"

    @api.model
    def _sysengage_draw_qr_bills(self, moves):
        """The QR-bill page of each of ``moves`` (a list of PDF bytes), drawn from the payload that core
        l10n_ch builds and checks for its own QR-bill report (same arguments, Swico billing information
        included), in the customer's language."""
        pdfs = []
        for move in moves:
            vals = move._sysengage_qr_code_vals()
            payload = move.partner_bank_id._get_qr_code_generation_params(**vals)["value"]
            pdfs.append(draw_slips([(payload, move.partner_id.lang or self.env.lang)], title=f"QR-bill {move.name}"))
        return pdfs

    @staticmethod
    def _sysengage_concatenate(contents):
        """One PDF of ``contents`` in a row, with an outline entry where each one starts."""
        writer = OdooPdfFileWriter()
        starts = []
        for content in contents:
            reader = OdooPdfFileReader(io.BytesIO(content), strict=False)
            starts.append(writer.getNumPages())
            for page in range(reader.getNumPages()):
                writer.addPage(reader.getPage(page))
        stream = io.BytesIO()
        writer.write(stream)
        return with_outline(stream.getvalue(), starts)

    @api.model
    def _sysengage_render_pdf_batch(self, report_ref, res_ids, options=None):
        """The PDF of each record of ``res_ids`` as printed by ``report_ref`` with ``options`` (a
        ``ReportOptions``), rendered in batches of records (one wkhtmltopdf run for the documents of a
        batch; their QR-bill pages one by one): ``{res_id: bytes}``.

        A batch that cannot be cut per record for sure (a marker not found where expected) is
        rendered again one record at a time.
        """
        pdfs = {}
        data = with_options({}, options, batch=True)
        for chunk in split_every(PDF_BATCH_SIZE, list(res_ids), list):
            try:
                streams, report_type = self._pre_render_qweb_pdf(report_ref, res_ids=chunk, data=dict(data))
            except SysengagePdfBatchError as error:
                _logger.info("PDF batch of %s records rendered one by one: %s", len(chunk), error)
                streams, report_type = {}, "pdf"
            if report_type == "pdf" and set(chunk) <= set(streams):
                pdfs.update((res_id, streams[res_id]["stream"].getvalue()) for res_id in chunk)
            else:
                # HTML stand-in of the tests, or a batch that could not be split: one record per run
                single = with_options({}, options)
                for res_id in chunk:
                    pdfs[res_id] = self._render_qweb_pdf(report_ref, [res_id], data=dict(single))[0]
            if report_type == "pdf":
                for stream in streams.values():
                    if stream.get("stream"):
                        stream["stream"].close()
        return pdfs
