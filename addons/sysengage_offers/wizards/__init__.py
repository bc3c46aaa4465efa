from . import sysengage_offer_acceptance_wizard
from . import sysengage_offer_acceptance_wizard_line
from . import sysengage_line_copy_wizard
from . import sysengage_line_copy_wizard_line
from . import sysengage_offer_lost_wizard
from . import sale_advance_payment_inv
