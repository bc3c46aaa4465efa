from . import test_document_template_ged
