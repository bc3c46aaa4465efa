from . import account_move
from . import ir_actions_report
from . import sysengage_ged_document
