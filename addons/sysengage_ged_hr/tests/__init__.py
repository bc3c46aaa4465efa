from . import test_employee_documents
