"""The runnable examples under examples/python/ stay runnable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"
FILES = sorted(EXAMPLES.glob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_example_runs(path: Path) -> None:
    if path.stem.startswith("django"):
        pytest.importorskip("django")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, cwd=EXAMPLES)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()
