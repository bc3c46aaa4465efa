from . import test_sysengage_contract_documents
from . import test_archive_concurrency
from . import test_contract_annexes
from . import test_archive_job
