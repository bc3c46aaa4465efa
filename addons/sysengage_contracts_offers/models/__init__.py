from . import sysengage_offer_partner
from . import sysengage_contract
from . import sale_order
