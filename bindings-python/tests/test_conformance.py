"""Every scenario of tests/conformance/, with the sync Client and with the AsyncClient."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import conformance

FILES = conformance.scenario_files()


def test_the_scenarios_are_found() -> None:
    assert len(FILES) >= 30, f"scenarios missing under {conformance.SCENARIOS}"


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario(path: Path, style: str) -> None:
    conformance.run(json.loads(path.read_text()), style)


def test_the_matcher_follows_the_readme() -> None:
    assert conformance.matches({"a": 1}, {"a": 1, "b": 2}) is None
    assert conformance.matches([1], [1, 2]) is not None
    assert conformance.matches({"$len": 2, "$each": {"x": 1}}, [{"x": 1}, {"x": 1, "y": 0}]) is None
    assert conformance.matches({"$each": {"x": 1}}, [{"x": 2}]) is not None
    assert conformance.matches(None, None) is None
    assert conformance.matches(True, 1) is not None
