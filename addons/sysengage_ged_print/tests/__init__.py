from . import test_ged_print_dialog
from . import test_ged_print_route
from . import test_ged_archive_batch
