from . import sysengage_document_template
