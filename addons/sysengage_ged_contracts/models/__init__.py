from . import sysengage_contract
from . import sysengage_ged_document
