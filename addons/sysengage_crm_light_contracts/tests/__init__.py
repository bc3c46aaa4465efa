from . import test_contract_indicators
from . import test_contract_reminder
