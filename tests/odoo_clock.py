#!/usr/bin/env python3
"""Start Odoo with the clock of its Python process moved to another moment (freezegun, ticking).

    python3 tests/odoo_clock.py "2028-02-29 23:30:00" /usr/local/bin/odoo -c odoo.conf ...

Used by ``run_tests.py --clock`` to run the Odoo suites as if they ran on a date boundary
(31 December → 1 January in Zurich, 29 February, a month end). Only the Odoo process is moved:
PostgreSQL's ``now()`` (``create_date``, ``write_date``) and the browser of the tours keep the
machine's clock, so a test that compares those with today's date is reported too — rightly, since
the same mismatch happens in production around midnight.
"""

import logging
import os
import runpy
import sys
import time

import freezegun


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: odoo_clock.py 'YYYY-MM-DD HH:MM:SS' ODOO_SCRIPT [odoo arguments...]")
    moment, script = sys.argv[1], sys.argv[2]
    sys.argv = [script, *sys.argv[3:]]
    # modules that must keep the real clock: the HTTP server's and the test runner's timeouts
    freezegun.configure(extend_ignore_list=["websocket", "werkzeug.serving", "selectors"])
    with freezegun.freeze_time(moment, tick=True):
        # freezegun swaps the class attribute logging.Formatter.converter (time.localtime) for a Python
        # function, which a formatter would then call as a method: keep it a plain function
        logging.Formatter.converter = staticmethod(time.localtime)
        if os.path.isfile(script):
            runpy.run_path(script, run_name="__main__")
        else:  # a module name, as in ``python -m odoo``
            runpy.run_module(script, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
