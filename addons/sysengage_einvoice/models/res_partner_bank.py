from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools.qr_payload import iban_error, validate_payload
from ..tools.qr_reference import is_valid_qrr


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    @api.constrains("acc_number")
    def _check_sysengage_swiss_iban(self):
        for bank in self:
            number = (bank.acc_number or "").replace(" ", "").upper()
            if number[:2] in ("CH", "LI") and number[2:4].isdigit():
                error = iban_error(number)
                if error:
                    raise ValidationError(
                        self.env._("Account Number %(number)s: %(reason)s", number=bank.acc_number, reason=error)
                    )

    # Extends l10n_ch: appends the Swico billing information (StrdBkgInf) passed in the context.
    def _l10n_ch_get_qr_vals(self, amount, currency, debtor_partner, free_communication, structured_communication):
        lines = super()._l10n_ch_get_qr_vals(
            amount, currency, debtor_partner, free_communication, structured_communication
        )
        billing = self.env.context.get("sysengage_qr_billing_information")
        if billing:
            lines = [*lines, billing.replace("\n", " ")]
        return lines

    def _sysengage_qr_source_errors(self, debtor_partner, structured_communication):
        """Limits that l10n_ch would silently truncate, checked on the source fields."""
        errors = []
        creditor_name = self.acc_holder_name or self.partner_id.name or ""
        partners = [(self.partner_id, self.env._("Creditor"), creditor_name)]
        if debtor_partner:
            partners.append(
                (debtor_partner, self.env._("Debtor"), debtor_partner.commercial_partner_id.name or "")
            )
        for partner, role, name in partners:
            street, number, zip_code, city = self._get_partner_address_lines(partner)
            checks = (
                (self.env._("name"), name, 70),
                (self.env._("street"), partner.street or "", 70 + 1 + 16),
                (self.env._("ZIP"), partner.zip or "", 16),
                (self.env._("city"), partner.city or "", 35),
            )
            for label, value, limit in checks:
                if len(value) > limit:
                    errors.append(
                        self.env._(
                            "%(role)s %(field)s of %(partner)s has %(length)s characters, "
                            "the QR-bill allows %(limit)s.",
                            role=role,
                            field=label,
                            partner=partner.display_name,
                            length=len(value),
                            limit=limit,
                        )
                    )
            del street, number, zip_code, city
        if structured_communication and is_valid_qrr(structured_communication) and not self.l10n_ch_qr_iban:
            errors.append(
                self.env._(
                    "Payment reference %(reference)s is a QR reference: it requires a QR-IBAN, "
                    "but account %(account)s is a plain IBAN.",
                    reference=structured_communication,
                    account=self.acc_number,
                )
            )
        return errors

    # Extends the core check: every Swiss payload is checked against IG 2.3 before it is encoded.
    def _check_for_qr_code_errors(
        self, qr_method, amount, currency, debtor_partner, free_communication, structured_communication
    ):
        error = super()._check_for_qr_code_errors(
            qr_method, amount, currency, debtor_partner, free_communication, structured_communication
        )
        if error or qr_method != "ch_qr":
            return error
        messages = self._sysengage_qr_source_errors(debtor_partner, structured_communication)
        lines = self._l10n_ch_get_qr_vals(
            amount, currency, debtor_partner, free_communication, structured_communication
        )
        messages += [
            self.env._("%(field)s: %(message)s", field=payload_error.field, message=payload_error.message)
            for payload_error in validate_payload(lines)
        ]
        return "\n".join(messages) or None
