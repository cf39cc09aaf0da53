"""The package's public names against the core's (ADR 6: one vocabulary, snake_case in Python).

The core's surface (records and their fields, client methods, client options) comes from the
core's own source, read by the workspace tool ``cinetpay-surface`` (tools/surface). A field,
method or option added to the core and not exposed here fails with its name. A name Python
deliberately spells or shapes otherwise is listed in ``SURFACE_EXCEPTIONS`` with its reason; an
exception that no longer applies fails too, so the list stays short and true.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import cinetpay_transfer as ct

REPO = Path(__file__).resolve().parents[2]
STUBS = Path(ct.__file__).resolve().parent / "_native.pyi"

# "kind core_name": (the Python names it is exposed under, or None when it is not, why).
SURFACE_EXCEPTIONS: Dict[str, Tuple[Optional[str], str]] = {
    "record Config": (None, "the client's settings are Client(...) keywords, the builder's options checked here"),
    "record RetryPolicy": (None, "its fields are the Client keywords max_attempts, initial_backoff, max_backoff"),
    "record StoredToken": (None, "the Rust TokenStore trait's value; Python picks a store by URL (token_store=)"),
    "method config": (None, "Rust-only: the settings are the Client(...) keywords"),
    "method reconnected": (None, "a forked process rebuilds its runtime and connections itself (runtime.rs)"),
    "method issue_token_after": ("issue_token", "issue_token(previous=...): one method, the token as a keyword"),
    "method send_observed": (None, "Rust-only: a per-item progress callback for the CLI's progress bar"),
    "method pay_observed": (None, "Rust-only: a per-item progress callback for the CLI's progress bar"),
    "option credentials": ("api_key password", "the positional arguments of Client(api_key, password)"),
    "option token_provider": (None, "a Rust TokenProvider object; a Python backend logs in with its credentials"),
    "option token_store_url": ("token_store", "token_store= takes the shared store's URL (redis://...)"),
    "option retry": ("max_attempts initial_backoff max_backoff", "the RetryPolicy's fields as keywords"),
    "option config": (None, "Rust-only: a whole Config; the bindings take its options one by one"),
}

HINT = "expose it or list it in SURFACE_EXCEPTIONS (tests/test_surface.py) with a reason"


@pytest.fixture(scope="module")
def core() -> Dict[str, Any]:
    """The core's surface, from `cargo run -p cinetpay-surface` at the repository's root."""
    try:
        run = subprocess.run(
            ["cargo", "run", "-q", "-p", "cinetpay-surface"], cwd=REPO, capture_output=True, text=True, timeout=600
        )
    except FileNotFoundError:
        pytest.fail("cargo is not on PATH: the surface check needs it to read the core's surface")
    if run.returncode != 0:
        pytest.fail(f"`cargo run -p cinetpay-surface` failed in {REPO} ({run.returncode}):\n{run.stderr}")
    surface: Dict[str, Any] = json.loads(run.stdout)
    # An empty or truncated surface would pass every check below: refuse it.
    assert len(surface["records"]) >= 10, surface["records"]
    assert len(surface["client_methods"]) >= 8, surface["client_methods"]
    assert len(surface["client_options"]) >= 8, surface["client_options"]
    return surface


def exposed(key: str, present: Any, problems: List[str], missing: str) -> None:
    """Checks one core name (`key` is "kind name"): present under its own name, or as its
    exception says. `missing` is the failure message, with %s for the Python name."""
    name = key.split(" ", 1)[1].split(".")[-1]
    if key in SURFACE_EXCEPTIONS:
        others, reason = SURFACE_EXCEPTIONS[key]
        if present(name):
            problems.append(f"{key} is exposed under its own name now: remove its SURFACE_EXCEPTIONS entry")
        for other in (others or "").split():
            if not present(other):
                problems.append(f"SURFACE_EXCEPTIONS says {key} is exposed as `{other}` ({reason}): {missing % other}")
    elif not present(name):
        problems.append(f"{missing % name}; {HINT}")


def stub_class(name: str) -> ast.ClassDef:
    tree = ast.parse(STUBS.read_text(encoding="utf-8"))
    found = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name]
    assert found, f"{STUBS} declares no class {name}"
    return found[0]


def stub_methods(cls: ast.ClassDef) -> Dict[str, ast.FunctionDef]:
    return {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}


def test_the_exceptions_name_what_the_core_has(core: Dict[str, Any]) -> None:
    names = {
        "record": set(core["records"]),
        "method": {m["name"] for m in core["client_methods"]},
        "option": {o["name"] for o in core["client_options"]},
    }
    for r, fields in core["records"].items():
        names.setdefault("field", set()).update(f"{r}.{f}" for f in fields)
    stale = [k for k in SURFACE_EXCEPTIONS if k.split(" ", 1)[1] not in names.get(k.split(" ", 1)[0], set())]
    assert not stale, f"SURFACE_EXCEPTIONS names what the core no longer has: {stale}"


def test_every_core_record_and_field_is_exported_with_its_name(core: Dict[str, Any]) -> None:
    problems: List[str] = []
    for record, fields in sorted(core["records"].items()):
        cls = getattr(ct, record, None)
        exposed(f"record {record}", lambda n: n in ct.__all__ and getattr(ct, n, None) is not None, problems,
                f"core record {record} is not exported by cinetpay_transfer (no %s in __all__)")
        if cls is None or f"record {record}" in SURFACE_EXCEPTIONS:
            continue
        # The records are dataclasses in _models.py: their fields are also what type checkers read.
        assert dataclasses.is_dataclass(cls), f"cinetpay_transfer.{record} is not a dataclass"
        own = {f.name for f in dataclasses.fields(cls)}
        for field in fields:
            exposed(f"field {record}.{field}", own.__contains__, problems,
                    f"core record {record} has field `{field}` but cinetpay_transfer.{record} has no field %s")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("client", ["Client", "AsyncClient"])
def test_every_core_client_method_exists_at_run_time_and_in_the_stubs(core: Dict[str, Any], client: str) -> None:
    runtime = getattr(ct, client)
    stubs = stub_methods(stub_class(client))
    problems: List[str] = []
    for method in core["client_methods"]:
        key = f"method {method['name']}"
        exposed(key, lambda n: callable(getattr(runtime, n, None)), problems,
                f"core Client has method `{method['name']}` but cinetpay_transfer.{client} has no method %s")
        exposed(key, stubs.__contains__, problems,
                f"core Client has method `{method['name']}` but _native.pyi declares no {client}.%s")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("client", ["Client", "AsyncClient"])
def test_every_core_client_option_is_a_keyword_of_the_constructor(core: Dict[str, Any], client: str) -> None:
    accepted = set(inspect.signature(getattr(ct, client)).parameters)
    init = stub_methods(stub_class(client))["__init__"].args
    declared = {a.arg for a in init.args + init.kwonlyargs}
    assert accepted == declared - {"self"}, f"{client}(...) and its stub differ: {accepted ^ (declared - {'self'})}"
    problems: List[str] = []
    for option in core["client_options"]:
        exposed(f"option {option['name']}", accepted.__contains__, problems,
                f"core ClientBuilder has option `{option['name']}` but cinetpay_transfer.{client}(...) takes no %s")
    assert not problems, "\n".join(problems)
