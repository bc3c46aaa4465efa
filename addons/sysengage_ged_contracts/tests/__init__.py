from . import test_sysengage_contract_documents
