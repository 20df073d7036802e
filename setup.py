"""Compile the gettext catalogs (translations/*.po) into the package while building it."""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        spec = importlib.util.spec_from_file_location("_ssd_i18n", HERE / "ssd_starter" / "i18n.py")
        i18n = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(i18n)
        i18n.compile_catalogs(HERE / "translations", Path(self.build_lib) / "ssd_starter" / "locale")


setup(cmdclass={"build_py": BuildPyWithCatalogs})
