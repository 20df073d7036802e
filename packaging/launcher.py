"""Entry script of the PyInstaller bundle: the same `ssd-starter` command as the installed package."""

from ssd_starter.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
