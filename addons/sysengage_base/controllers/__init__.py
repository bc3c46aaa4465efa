from . import main
from . import report
