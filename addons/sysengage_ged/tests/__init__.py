from . import test_documents
from . import test_access
from . import test_annexes
from . import test_archive
from . import test_archive_integrity
from . import test_tour
from . import test_archive_status
