from . import account_move
from . import res_company
from . import res_config_settings
from . import sysengage_payment_import
from . import sysengage_payment_import_line
from . import sysengage_reminder
