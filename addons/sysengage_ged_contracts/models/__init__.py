from . import sysengage_contract
