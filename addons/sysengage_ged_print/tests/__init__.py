from . import test_ged_print_dialog
from . import test_ged_print_route
