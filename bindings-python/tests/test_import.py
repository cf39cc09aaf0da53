"""Import cost (issue 13): `import cinetpay_transfer` must not load the heavy or optional modules.

Checked on the modules loaded, in a fresh interpreter, never on time. The records (dataclasses,
enum) load on first use, `logging` on the first log record, `asyncio` with the first coroutine.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("asyncio", "logging", "dataclasses", "django", "celery", "redis", "pytest", "typing", "inspect")


def loaded_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nimport json; print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    # -I: no user site, no PYTHON* variables (no sitecustomize may preload a module).
    out = subprocess.run([sys.executable, "-I", "-c", probe], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def test_import_loads_no_heavy_module() -> None:
    assert loaded_after("import cinetpay_transfer") == []


def test_client_import_loads_no_heavy_module() -> None:
    assert loaded_after("from cinetpay_transfer import Client, AsyncClient, CinetPayError, parse_notification") == []


def test_every_public_name_still_imports() -> None:
    code = (
        "import cinetpay_transfer as ct\n"
        "assert all(getattr(ct, n) is not None for n in ct.__all__)\n"
        "from cinetpay_transfer import *\n"
        "assert Transfer is ct._models.Transfer and PING is ct._models.PING\n"
        "assert set(ct.__all__) <= set(dir(ct))\n"
    )
    assert "dataclasses" in loaded_after(code)  # the records are real dataclasses, loaded on use
