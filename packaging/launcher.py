"""Entry script of the PyInstaller bundle: the same `ssd-starter` command as the installed package."""

import multiprocessing

from ssd_starter.cli import main

if __name__ == "__main__":
    # the network layout runs in a spawned child process; in a frozen bundle the child starts through this
    # same executable, and freeze_support() is what turns it into the child instead of a second window
    multiprocessing.freeze_support()
    raise SystemExit(main())
