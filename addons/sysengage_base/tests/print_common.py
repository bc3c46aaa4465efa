"""A fake CUPS client (``lp``) for the print tests: it records its arguments and the printed file."""

import os
import stat
import tempfile
from unittest.mock import patch

FAKE_LP = """#!/bin/sh
# fake CUPS client for the tests: records its arguments and the printed file
printf '%%s\\n' "$@" > "%(dir)s/args.txt"
for last; do true; done
/bin/cp "$last" "%(dir)s/printed.pdf"
echo "request id is Office-42 (1 file(s))"
"""


class FakeCupsMixin:
    """``self._install_fake_lp()`` puts the fake ``lp`` alone on the PATH; ``_printed()`` reads what it got."""

    def _install_fake_lp(self):
        self.cups_dir = tempfile.mkdtemp(prefix="sg_fake_cups_")
        self.addCleanup(self._cleanup_fake_cups)
        path_patch = patch.dict(os.environ, {"PATH": self.cups_dir})
        path_patch.start()
        self.addCleanup(path_patch.stop)
        path = os.path.join(self.cups_dir, "lp")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(FAKE_LP % {"dir": self.cups_dir})
        os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC | stat.S_IXGRP | stat.S_IXOTH)

    def _cleanup_fake_cups(self):
        for name in os.listdir(self.cups_dir):
            os.remove(os.path.join(self.cups_dir, name))
        os.rmdir(self.cups_dir)

    def _printed(self):
        """``(lp arguments, printed bytes)`` of the last print."""
        with open(os.path.join(self.cups_dir, "args.txt"), encoding="utf-8") as handle:
            args = handle.read().split("\n")
        with open(os.path.join(self.cups_dir, "printed.pdf"), "rb") as handle:
            return args, handle.read()
