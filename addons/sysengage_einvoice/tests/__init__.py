from . import test_qr_bill
from . import test_invoice_report
from . import test_channel_ebill
from . import test_channel_ariba
from . import test_channel_sftp
from . import test_channel_email
