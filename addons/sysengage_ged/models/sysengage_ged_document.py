import base64
import logging

import magic

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.sysengage_ged.tools.filetype import content_matches_name

_logger = logging.getLogger(__name__)

IMAGE_MIMETYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
# Only code of this module holds this object: a client cannot put it in a context over RPC, so the
# file columns below are set by _ged_add_version only (the file the user uploaded).
_FILE_TOKEN = object()
# columns describing the stored file: never taken from a client (readonly is not enforced over RPC)
FILE_FIELDS = ("attachment_id", "mimetype", "file_size", "version", "thumbnail")


class SysengageGedDocument(models.Model):
    _name = "sysengage.ged.document"
    _description = "Document"
    _inherit = ["sysengage.ged.linked.mixin"]
    _order = "sequence, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, index="trigram")
    description = fields.Text()
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10, help="Order of the annexes appended to the invoice.")
    datas = fields.Binary(
        string="File",
        compute="_compute_datas",
        inverse="_inverse_datas",
        help="Uploading a new file keeps the previous one as an older version.",
    )
    file_name = fields.Char(string="File Name")
    attachment_id = fields.Many2one("ir.attachment", string="Current File", readonly=True, index="btree_not_null")
    mimetype = fields.Char(readonly=True)
    file_size = fields.Integer(string="Size (bytes)", readonly=True)
    is_pdf = fields.Boolean(compute="_compute_preview_kind")
    is_image = fields.Boolean(compute="_compute_preview_kind")
    preview_pdf = fields.Binary(string="PDF Preview", compute="_compute_preview")
    thumbnail = fields.Image(max_width=256, max_height=256, readonly=True)
    version = fields.Integer(readonly=True, default=0)
    version_ids = fields.One2many("sysengage.ged.document.version", "document_id", string="Versions", readonly=True)
    version_count = fields.Integer(compute="_compute_version_count", string="Number of Versions")
    folder_id = fields.Many2one("sysengage.ged.folder", string="Folder", index=True, check_company=True)
    tag_ids = fields.Many2many("sysengage.ged.tag", string="Tags")
    company_id = fields.Many2one("res.company", string="Company", index=True)
    owner_id = fields.Many2one("res.users", string="Owner", default=lambda self: self.env.user)
    res_model_label = fields.Char(string="Kind of Record", compute="_compute_res_model_label")
    res_reference = fields.Reference(
        selection="_selection_res_reference",
        string="Belongs To",
        compute="_compute_res_reference",
        inverse="_inverse_res_reference",
    )
    print_with_invoice = fields.Boolean(
        string="Print with the Invoice",
        help="Append this PDF to the printed and e-mailed invoice (document on an invoice, "
        "its customer or its contract).",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("print_with_invoice", "mimetype", "res_model")
    def _check_print_with_invoice(self):
        for document in self.filtered("print_with_invoice"):
            if document.mimetype != "application/pdf":
                raise ValidationError(
                    self.env._("Only PDF documents can be printed with an invoice (%(name)s).", name=document.name)
                )
            if document.res_model not in self._get_annex_models():
                raise ValidationError(
                    self.env._(
                        "Only documents of an invoice, a customer or a contract can be printed with an "
                        "invoice (%(name)s).",
                        name=document.name,
                    )
                )

    @api.constrains("attachment_id")
    def _check_attachment_id(self):
        # the current file must be one stored for this document, never another record's attachment
        for document in self.sudo().filtered("attachment_id"):
            attachment = document.attachment_id
            if attachment.res_model != self._name or attachment.res_id != document.id:
                raise ValidationError(
                    self.env._("The file of document %(name)s must be uploaded to this document.", name=document.name)
                )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("attachment_id")
    def _compute_datas(self):
        for document in self:
            document.datas = document.attachment_id.datas if document.attachment_id else False

    @api.depends("mimetype")
    def _compute_preview_kind(self):
        for document in self:
            document.is_pdf = document.mimetype == "application/pdf"
            document.is_image = (document.mimetype or "").startswith("image/")

    @api.depends("attachment_id", "mimetype")
    def _compute_preview(self):
        for document in self:
            document.preview_pdf = document.attachment_id.datas if document.mimetype == "application/pdf" else False

    @api.depends("version_ids")
    def _compute_version_count(self):
        for document in self:
            document.version_count = len(document.version_ids)

    @api.depends("res_model")
    def _compute_res_model_label(self):
        models_by_name = {
            model.model: model.name
            for model in self.env["ir.model"].sudo().search([("model", "in", list(set(self.mapped("res_model"))))])
        }
        for document in self:
            document.res_model_label = models_by_name.get(document.res_model, False)

    @api.model
    def _get_linkable_models(self):
        """Kinds of records documents may belong to: the models with the "Documents" smart button.

        Read from the registry (as the approval engine does): every model inheriting
        ``sysengage.ged.record.mixin``, here or in a bridge (offers, contracts, employees...).
        """
        mixin_class = self.env.registry["sysengage.ged.record.mixin"]
        return [name for name, model in self.env.items() if isinstance(model, mixin_class) and not model._abstract]

    @api.model
    def _get_annex_models(self):
        """Kinds of records whose PDF documents may be printed with an invoice.

        The invoice and its customer here; a bridge adds its model with ``super()`` and
        extends :meth:`_get_annex_record_domain` to match its records of an invoice.
        """
        return ["account.move", "res.partner"]

    @api.model
    def _selection_res_reference(self):
        models = self.env["ir.model"].sudo().search([("model", "in", self._get_linkable_models())])
        return [(model.model, model.name) for model in models]

    @api.depends("res_model", "res_id")
    def _compute_res_reference(self):
        allowed = {key for key, _label in self._selection_res_reference()}
        for document in self:
            if document.res_model in allowed and document.res_id:
                document.res_reference = f"{document.res_model},{document.res_id}"
            else:
                document.res_reference = False

    def _inverse_res_reference(self):
        for document in self:
            reference = document.res_reference
            document.write(
                {"res_model": reference._name, "res_id": reference.id}
                if reference
                else {"res_model": False, "res_id": False}
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._ged_check_file_fields(vals)
            if not vals.get("name"):
                vals["name"] = vals.get("file_name") or self.env._("Document")
            if vals.get("res_model") and vals.get("res_id"):
                vals.setdefault("company_id", self._ged_company_of(vals["res_model"], vals["res_id"]))
                if not vals.get("folder_id"):
                    folder = self.env["sysengage.ged.folder"].search(
                        [("res_model", "=", vals["res_model"]), ("parent_id", "=", False)], limit=1
                    )
                    vals["folder_id"] = folder.id
            else:
                vals.setdefault("company_id", self.env.company.id)
        # the annex flag is checked against the file type, known once the file is stored
        annex_flags = [vals.pop("print_with_invoice", False) for vals in vals_list]
        documents = super().create(vals_list)
        flagged = documents.browse([doc.id for doc, flag in zip(documents, annex_flags) if flag])
        if flagged:
            flagged.print_with_invoice = True
        return documents

    def write(self, vals):
        self._ged_check_file_fields(vals)
        if "res_model" in vals or "res_id" in vals:
            # moving a document to another record: the user must be allowed to change both
            self.check_access("write")
        result = super().write(vals)
        if "res_model" in vals or "res_id" in vals:
            self.check_access("write")
        return result

    def _ged_check_file_fields(self, vals):
        """Refuse file columns coming from a client: they are set from the uploaded file only."""
        forced = [name for name in FILE_FIELDS if name in vals]
        if forced and self.env.context.get("sysengage_ged_file_token") is not _FILE_TOKEN:
            raise UserError(
                self.env._(
                    "The file of a document is changed by uploading a new file only (%(fields)s cannot be set).",
                    fields=", ".join(forced),
                )
            )

    @api.model
    def _ged_company_of(self, res_model, res_id):
        if res_model not in self.env:  # a model name given as data, of an addon maybe not installed
            return False
        record = self.env[res_model].browse(res_id)
        if "company_id" not in record._fields:
            return False
        # the company of the record the document belongs to (read as stored, access checked later)
        return record.sudo().company_id.id

    # ------------------------------------------------------------------
    # Files and versions
    # ------------------------------------------------------------------
    def _inverse_datas(self):
        for document in self:
            if not document.datas:
                if not document.attachment_id:
                    raise UserError(self.env._("The file of document %(name)s is empty.", name=document.name))
                continue
            raw = base64.b64decode(document.datas)
            document._ged_add_version(raw, document.file_name or document.name)

    def _ged_check_file(self, raw, file_name):
        """Refuse empty files, files over the company limit and content not matching the name.

        :return: the detected MIME type
        """
        self.ensure_one()
        if not raw:
            raise UserError(self.env._("The file %(file)s is empty.", file=file_name))
        company = self.company_id or self.env.company
        limit_mb = company.sysengage_ged_max_file_size
        if limit_mb and len(raw) > limit_mb * 1024 * 1024:
            raise UserError(
                self.env._(
                    "The file %(file)s is %(size)s MB, more than the %(limit)s MB allowed by %(company)s.",
                    file=file_name,
                    size=round(len(raw) / 1024 / 1024, 1),
                    limit=limit_mb,
                    company=company.name,
                )
            )
        detected = magic.from_buffer(raw[:1048576], mime=True)
        if not content_matches_name(detected, file_name):
            raise UserError(
                self.env._(
                    "The content of %(file)s is of type %(detected)s, which does not match its name. "
                    "Rename the file or upload the right one.",
                    file=file_name,
                    detected=detected,
                )
            )
        return detected

    def _ged_add_version(self, raw, file_name):
        """Store ``raw`` as the new current version; older versions stay available."""
        self.ensure_one()
        mimetype = self._ged_check_file(raw, file_name)
        attachment = self.env["ir.attachment"].create(
            {
                "name": file_name,
                "raw": raw,
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        version = self.version + 1
        internal = self.with_context(sysengage_ged_file_token=_FILE_TOKEN)
        internal.env["sysengage.ged.document.version"].create(
            {
                "document_id": self.id,
                "version": version,
                "attachment_id": attachment.id,
                "file_name": file_name,
                "mimetype": mimetype,
                "file_size": len(raw),
            }
        )
        vals = {
            "attachment_id": attachment.id,
            "version": version,
            "mimetype": mimetype,
            "file_size": len(raw),
            "file_name": file_name,
            "thumbnail": base64.b64encode(raw) if mimetype in IMAGE_MIMETYPES else False,
        }
        internal.write(vals)

    @api.model
    def _ged_create_from_attachments(self, record, attachments):
        """Create documents on ``record`` from chatter ``attachments`` (once per attachment)."""
        imported = self.search([("res_model", "=", record._name), ("res_id", "=", record.id)])
        known = set(imported.version_ids.mapped("checksum"))
        documents = self.browse()
        for attachment in attachments:
            if attachment.checksum in known:
                continue
            document = self.create({"name": attachment.name, "res_model": record._name, "res_id": record.id})
            document._ged_add_version(attachment.raw, attachment.name)
            documents |= document
            known.add(attachment.checksum)
        if not documents:
            raise UserError(self.env._("All attachments of this record are already in its documents."))
        return record.action_sysengage_ged_documents()

    # ------------------------------------------------------------------
    # Annexes
    # ------------------------------------------------------------------
    @api.model
    def _get_annex_record_domain(self, move):
        """Documents belonging to ``move`` or to its customer; bridges add their records with ``super()``."""
        domain = Domain("res_model", "=", "account.move") & Domain("res_id", "=", move.id)
        partners = (move.partner_id | move.commercial_partner_id).ids
        return domain | (Domain("res_model", "=", "res.partner") & Domain("res_id", "in", partners))

    @api.model
    def _ged_annex_domain(self, move):
        """Documents printed with ``move``: on the invoice, its customer or (bridges) its contract."""
        domain = self._get_annex_record_domain(move)
        return Domain("print_with_invoice", "=", True) & Domain("mimetype", "=", "application/pdf") & domain

    @api.model
    def _ged_annexes(self, move):
        """PDF annexes of ``move`` in print order (sequence, then creation).

        Only documents of the invoice's own company (or shared ones) whose current file was uploaded
        to the document itself count: the file read here is the document's, never another record's.
        """
        # sudo: the annexes are part of the invoice document the user is allowed to print
        domain = self._ged_annex_domain(move) & Domain("company_id", "in", [move.company_id.id, False])
        annexes = self.sudo().search(domain, order="sequence, id")
        return annexes.filtered(
            lambda annex: annex.attachment_id.res_model == self._name and annex.attachment_id.res_id == annex.id
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_record(self):
        self.ensure_one()
        record = self._sysengage_ged_linked_record()
        if not record:
            raise UserError(self.env._("This document does not belong to a record."))
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "views": [(False, "form")],
        }

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}?download=true" + "&field=datas&filename_field=file_name",
            "target": "download",
        }
