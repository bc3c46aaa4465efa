from . import sysengage_payment_import_wizard
