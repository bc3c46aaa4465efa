from . import sysengage_dispatch_flow
from . import sysengage_einvoice_document
from . import sale_order
