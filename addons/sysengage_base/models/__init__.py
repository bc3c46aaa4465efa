from . import sysengage_approval_mixin
from . import sysengage_approval_rule
from . import sysengage_approval_rule_level
from . import sysengage_approval_request
from . import account_move
from . import res_users
