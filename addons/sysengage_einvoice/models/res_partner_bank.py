from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools.qr_payload import (
    SOURCE_LIMITS,
    check_source_fields,
    iban_error,
    reference_type,
    split_street,
    validate_payload,
)
from ..tools.swico import BillingInformation


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

    # Override of l10n_ch: IG 2.3 allows a debtor in any country; only a debtor without a country is refused.
    def _l10n_ch_qr_debtor_check(self, debtor_partner):
        if not debtor_partner or not debtor_partner.country_id.code:
            return self.env._("The debtor partner's address has no country.")
        return False

    # Override of l10n_ch: the address parts are never shortened; IG 2.3 limits are checked and refused instead.
    def _get_partner_address_lines(self, partner):
        street, number = split_street(partner.street)
        street2 = (partner.street2 or "").strip()
        if not number and street2:
            street2_name, number = split_street(street2)
            if number:
                street = f"{street} {street2_name}".strip()
            else:
                number = street2
        elif street2 and len(f"{number} {street2}") <= SOURCE_LIMITS["building_number"]:
            number = f"{number} {street2}"
        elif not street and street2:
            street = street2
        return street, number, partner.zip or "", partner.city or ""

    # Override of l10n_ch: the Swico billing information (StrdBkgInf) passed in the context by the QR-bill
    # rendering (a BillingInformation, never a client's string) is appended; names
    # and the message are put in whole (core shortens them) and the reference type follows the reference.
    def _l10n_ch_get_qr_vals(self, amount, currency, debtor_partner, free_communication, structured_communication):
        lines = super()._l10n_ch_get_qr_vals(
            amount, currency, debtor_partner, free_communication, structured_communication
        )
        lines[5] = (self.acc_holder_name or self.partner_id.name or "").replace("\n", " ")
        if debtor_partner:
            lines[21] = (debtor_partner.commercial_partner_id.name or "").replace("\n", " ")
        lines[29] = (free_communication or "").replace("\n", " ")
        ref_type, reference, problem = reference_type(structured_communication, bool(self.l10n_ch_qr_iban))
        if not problem:
            lines[27:29] = [ref_type, reference]
        billing = self.env.context.get("sysengage_qr_billing_information")
        if billing and isinstance(billing, BillingInformation):
            lines = [*lines, billing.replace("\n", " ")]
        return lines

    def _sysengage_qr_field_labels(self):
        return {
            "name": self.env._("name"),
            "street": self.env._("street"),
            "building_number": self.env._("house number"),
            "postal_code": self.env._("ZIP"),
            "town": self.env._("city"),
            "country": self.env._("country"),
            "message": self.env._("payment communication"),
        }

    def _sysengage_qr_source_errors(
        self, debtor_partner, structured_communication, free_communication=None, with_missing=True
    ):
        """IG 2.3 problems of the source fields (names, address parts, message, reference), checked before
        anything is encoded: a translated message per problem naming the field and the partner."""
        labels = self._sysengage_qr_field_labels()
        errors = []
        parties = [(self.partner_id, self.env._("Creditor"), self.acc_holder_name or self.partner_id.name)]
        if debtor_partner:
            parties.append((debtor_partner, self.env._("Debtor"), debtor_partner.commercial_partner_id.name))
        for partner, role, name in parties:
            street, number, zip_code, city = self._get_partner_address_lines(partner)
            values = {
                "name": name or "",
                "street": street,
                "building_number": number,
                "postal_code": zip_code,
                "town": city,
                "country": partner.country_id.code or "",
            }
            for problem in check_source_fields(values):
                if problem.problem == "missing" and not with_missing:
                    continue
                errors.append(self._sysengage_qr_problem_message(problem, labels, role, partner))
        if free_communication:
            for problem in check_source_fields({"message": free_communication}):
                errors.append(self._sysengage_qr_problem_message(problem, labels, self.env._("Invoice"), None))
        problem = reference_type(structured_communication, bool(self.l10n_ch_qr_iban))[2]
        if problem and problem != "qrr_required":  # core reports a QR-IBAN without a QR reference
            errors.append(self._sysengage_qr_reference_message(problem, structured_communication))
        return errors

    def _sysengage_qr_problem_message(self, problem, labels, role, partner):
        values = {
            "role": role,
            "field": labels.get(problem.field, problem.field),
            "partner": (partner.name or partner.display_name) if partner else "",
            "limit": problem.limit,
            "length": problem.length,
            "chars": problem.chars,
        }
        kind = problem.problem
        if partner is None:
            if kind == "length":
                return self.env._(
                    "%(role)s %(field)s has %(length)s characters, the QR-bill allows %(limit)s.", **values
                )
            if kind == "charset":
                return self.env._(
                    "%(role)s %(field)s contains characters the QR-bill does not allow: %(chars)s", **values
                )
            return self.env._("%(role)s %(field)s must not contain a line break.", **values)
        if kind == "length":
            return self.env._(
                "%(role)s %(field)s of %(partner)s has %(length)s characters, the QR-bill allows %(limit)s.",
                **values,
            )
        if kind == "charset":
            return self.env._(
                "%(role)s %(field)s of %(partner)s contains characters the QR-bill does not allow: %(chars)s",
                **values,
            )
        if kind == "line_break":
            return self.env._("%(role)s %(field)s of %(partner)s must not contain a line break.", **values)
        if kind == "missing":
            return self.env._("%(role)s %(field)s of %(partner)s is missing.", **values)
        return self.env._("%(role)s %(field)s of %(partner)s is not a two-letter ISO code.", **values)

    def _sysengage_qr_reference_message(self, problem, reference):
        values = {"reference": reference, "account": self.acc_number}
        if problem == "qrr_needs_qr_iban":
            return self.env._(
                "Payment reference %(reference)s is a QR reference: it requires a QR-IBAN, "
                "but account %(account)s is a plain IBAN.",
                **values,
            )
        if problem == "invalid_scor":
            return self.env._(
                "Payment reference %(reference)s is not a valid creditor reference (RF, ISO 11649): "
                "its check digits are wrong.",
                **values,
            )
        return self.env._(
            "Payment reference %(reference)s is neither a QR reference nor a creditor reference (RF): with the "
            "ordinary IBAN %(account)s the QR-bill could only carry it as a free message, and the bank would not "
            "report it as a reference. Use an RF creditor reference, a QR-IBAN, or leave it empty.",
            **values,
        )

    # Override of the core check: every Swiss payload is checked against IG 2.3 before it is encoded.
    def _check_for_qr_code_errors(
        self, qr_method, amount, currency, debtor_partner, free_communication, structured_communication
    ):
        error = super()._check_for_qr_code_errors(
            qr_method, amount, currency, debtor_partner, free_communication, structured_communication
        )
        if error or qr_method != "ch_qr":
            return error
        messages = self._sysengage_qr_source_errors(debtor_partner, structured_communication, free_communication)
        lines = self._l10n_ch_get_qr_vals(
            amount, currency, debtor_partner, free_communication, structured_communication
        )
        messages += [
            self.env._("%(field)s: %(message)s", field=payload_error.field, message=payload_error.message)
            for payload_error in validate_payload(lines)
        ]
        return "\n".join(messages) or None
