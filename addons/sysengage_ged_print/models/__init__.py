from . import sysengage_ged_document
