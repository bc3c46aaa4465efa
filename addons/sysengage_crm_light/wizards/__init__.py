from . import sysengage_activity_close_wizard
from . import sysengage_document_generate_wizard
