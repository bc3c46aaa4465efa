from . import test_contract_invoicing
from . import test_contract_bad_input
from . import test_contract_lifecycle
from . import test_contract_access
from . import test_contract_sale_order
from . import test_contract_cron_concurrency
from . import test_contract_tour
