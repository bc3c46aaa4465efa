from . import sysengage_approval_refuse_wizard
from . import sysengage_price_explain_wizard
from . import sysengage_print_wizard
from . import sysengage_address_import_line
from . import sysengage_address_import_wizard
