from . import sysengage_einvoice_import
from . import sysengage_einvoice_import_line
