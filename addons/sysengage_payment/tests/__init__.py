from . import test_import
from . import test_matching
from . import test_access
from . import test_reminder
from . import test_tour
from . import test_background_booking
from . import test_company_check
