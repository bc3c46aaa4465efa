from . import sysengage_indicator
from . import sysengage_planning_item
from . import sysengage_reminder_rule
