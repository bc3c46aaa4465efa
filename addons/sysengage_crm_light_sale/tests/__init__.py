from . import test_offer_indicators
from . import test_offer_reminder
from . import test_offer_planning
