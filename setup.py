"""Build hook: ship the banks and reference solutions inside the package.

The checkout keeps them at the top level (``questions/``, ``solutions/``), as the
project layout says; a wheel carries them as ``bigmodel_quiz/data/...`` so that
``pip install .`` gives a working ``quiz`` anywhere. No packaging option maps a
top-level data folder into a package, hence this small command.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithBanks(build_py):
    """build_py, then copy questions/ and solutions/ into the built package."""

    def run(self):
        super().run()
        root = Path(__file__).resolve().parent
        for name in ("questions", "solutions"):
            src = root / name
            if src.is_dir():
                dst = Path(self.build_lib) / "bigmodel_quiz" / "data" / name
                shutil.copytree(src, dst, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithBanks})
