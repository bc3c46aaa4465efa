from . import sysengage_contract_terminate
from . import sysengage_contract_renew
from . import sysengage_contract_forecast
