"""A simulation of Windows on Linux, for the test suite's second pass (PYTHONPATH=tests/windows).

What Windows lacks and doetank must do without: fcntl and termios cannot be imported and os.fork is gone. What the
simulation cannot fake (sys.platform, a refused directory fsync, a file held by antivirus) is covered by unit tests
that inject it. Every Python process the tests start inherits PYTHONPATH, so subprocesses are simulated too.
"""

import os
import sys

for _name in ("fcntl", "termios"):
    sys.modules[_name] = None  # type: ignore[assignment]  # `import fcntl` now raises ImportError
for _name in ("fork", "forkpty"):
    if hasattr(os, _name):
        delattr(os, _name)
os.environ["DOETANK_WINDOWS_SIMULATION"] = "1"
