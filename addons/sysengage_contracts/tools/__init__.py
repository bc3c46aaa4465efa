from . import indexation
from . import recurrence
