"""The solver package imports nothing from Django, so it runs in the benchmark and on the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Without a settings module in the environment, nothing can quietly set Django up.
ENV = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}

PROBE = """
import importlib, pkgutil, sys
import allocation.solver
names = [m.name for m in pkgutil.walk_packages(allocation.solver.__path__, "allocation.solver.")]
for name in names:
    importlib.import_module(name)
assert {"allocation.solver.check", "allocation.solver.fcfs", "allocation.solver.__main__"} <= set(sys.modules)
print(",".join(sorted(m for m in sys.modules if m == "django" or m.startswith("django."))))
"""


def test_importing_the_solver_and_its_submodules_does_not_import_django() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=120, env=ENV
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
