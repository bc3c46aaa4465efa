from . import sysengage_approval_refuse_wizard
