from . import test_offer_dispatch
from . import test_offer_dispatch_tour
from . import test_invoice_chain
