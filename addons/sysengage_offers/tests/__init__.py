from . import test_offer_conditions
from . import test_offer_template
from . import test_offer_copy
from . import test_offer_acceptance
from . import test_offer_followup
from . import test_offer_project
from . import test_offer_access
from . import test_offer_report
