"""The ``cinetpay-sandbox`` binary, shipped as a wheel for Python test suites.

This package is the optional extra ``pip install "cinetpay-transfer[sandbox]"``: the wheel puts the
binary in the environment's scripts directory (maturin ``bindings = "bin"``, as ruff ships its
binary) and ``find_sandbox_bin()`` says where, for ``cinetpay_transfer.testing.Sandbox`` (ADR 10).
"""

from __future__ import annotations

import os
import sys
import sysconfig

__all__ = ["find_sandbox_bin"]


def find_sandbox_bin() -> str:
    """The path of the installed ``cinetpay-sandbox`` binary; FileNotFoundError if it is not there."""
    name = "cinetpay-sandbox" + (sysconfig.get_config_var("EXE") or "")
    scheme = sysconfig.get_preferred_scheme("user") if sys.version_info >= (3, 10) else f"{os.name}_user"
    candidates = [
        sysconfig.get_path("scripts"),  # a virtual environment or the interpreter's own
        sysconfig.get_path("scripts", scheme),  # pip install --user
        os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin"),  # pip install --target
    ]
    for directory in candidates:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(
        f"cinetpay-transfer-sandbox is installed but its binary {name} is in none of {candidates}: "
        'reinstall it with `pip install --force-reinstall "cinetpay-transfer[sandbox]"`'
    )
