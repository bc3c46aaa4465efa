"""The options of the Sysengage report pipeline, in one place.

Server code of the suite passes them to the report engine in the report ``data``, under
:data:`OPTIONS_KEY`, as a :class:`ReportOptions`; the overrides of ``ir.actions.report`` read them
with :func:`get_options`; the report templates get them as the QWeb value ``sysengage_options``
(the report data are the values of the template). A client reaches the report engine with JSON only (the ``options`` and
``context`` of the report routes, the context of an RPC call): a value it puts under that key is
never a ``ReportOptions`` and is ignored, so none of these options can be set from outside.

Options:

- ``force_payment_part``: print the QR-bill payment part whatever the invoice, the print profile or
  the customer choose (the paper channel, the QR-bills appended to a payment reminder).
- ``print_profile_id``: the print profile of the invoice report being rendered; set by the pipeline
  itself for the QR-bill page rendered inside it (callers leave it).
- ``batch``: render several documents in one wkhtmltopdf run and cut the PDF back per record (set by
  the batch entry point of sysengage_einvoice).
- ``archive_event``: the event a rendering of posted invoices records on their GED archive (e.g.
  ``"dispatch"``; empty: a print); read by sysengage_ged through its bridge sysengage_ged_print.
- ``fresh_render``: render the invoices as they are now rather than print their GED archive, and do
  not archive that rendering (a payment part forced on invoices archived without one).
"""

from dataclasses import dataclass, replace

OPTIONS_KEY = "sysengage_options"


@dataclass(frozen=True)
class ReportOptions:
    """Options of one rendering (immutable: a nested rendering gets a changed copy)."""

    force_payment_part: bool = False
    print_profile_id: int = 0
    batch: bool = False
    archive_event: str = ""
    fresh_render: bool = False


def as_options(value):
    """``value`` when it is a :class:`ReportOptions`, else the defaults: anything else (a client's
    JSON, nothing) counts as no option."""
    return value if isinstance(value, ReportOptions) else ReportOptions()


def get_options(values, key=OPTIONS_KEY):
    """The :class:`ReportOptions` under ``key`` of ``values`` (report data, or a context), else the
    defaults (see :func:`as_options`)."""
    return as_options((values or {}).get(key))


def with_options(data, options=None, **changes):
    """A copy of the report ``data`` carrying ``options`` (default: those it carries) with ``changes``."""
    options = replace(options or get_options(data), **changes)
    return {**(data or {}), OPTIONS_KEY: options}
