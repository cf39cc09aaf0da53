"""A runner of the shared conformance scenarios (tests/conformance/README.md), in Python.

A port of the reference runner, core/tests/conformance.rs: same matching rules (partial objects,
equal-length lists, ``$len`` / ``$each``), same ``save`` and ``${name}`` / ``${i}`` substitution,
``repeat`` run concurrently. Results are turned into the README's snake_case JSON from the
Python objects' public attributes, so a field missing or renamed in Python fails here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import json
import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import cinetpay_transfer as ct
from cinetpay_transfer.testing import Sandbox

SCENARIOS = Path(
    os.environ.get(
        "CINETPAY_CONFORMANCE_DIR",
        Path(__file__).resolve().parents[2] / "tests" / "conformance" / "scenarios",
    )
)

Outcome = Tuple[bool, Any]  # (ok, result-or-error JSON)


def scenario_files() -> List[Path]:
    return sorted(SCENARIOS.glob("*.json"))


def to_plain(value: Any) -> Any:
    """The README's JSON shape of a result, read from public attributes."""
    if isinstance(value, ct.CinetPayError):
        return error_json(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


def error_json(e: ct.CinetPayError) -> Dict[str, Any]:
    return {
        "kind": e.kind,
        "code": e.code,
        "api_message": e.api_message,
        "description": e.description,
        "http_status": e.http_status,
        "field": e.field,
        "index": e.index,
        "client_transaction_ids": list(e.client_transaction_ids),
        "detail": str(e),
    }


def client_options(section: Dict[str, Any], base_url: str) -> Dict[str, Any]:
    retry = section.get("retry", {})
    options: Dict[str, Any] = {
        "api_key": section.get("api_key", "sandbox-api-key"),
        "password": section.get("password", "sandbox-password"),
        "base_url": base_url,
        "lang": "fr" if section.get("lang") == "fr" else "en",
        "max_attempts": retry.get("max_attempts", 3),
        "initial_backoff": retry.get("initial_backoff_ms", 10) / 1000,
        "max_backoff": retry.get("max_backoff_ms", 50) / 1000,
        "request_timeout": section.get("request_timeout_ms", 2000) / 1000,
        "processing_window": section.get("processing_window_ms", 2500) / 1000,
    }
    for key in ("chunk_size", "max_concurrency"):
        if key in section:
            options[key] = section[key]
    return options


def admin(request: str, body: Any, admin_url: str) -> Outcome:
    method, _, path = request.partition(" ")
    data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
    req = urllib.request.Request(admin_url + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            text = response.read()
            return True, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return False, {"kind": "admin", "http_status": e.code, "detail": e.read().decode(errors="replace")}


def query(args: Dict[str, Any]) -> Dict[str, str]:
    for key in ("transaction_id", "client_transaction_id"):
        if isinstance(args.get(key), str):
            return {key: args[key]}
    return {"lot": args.get("lot") or ""}


def parse(args: Dict[str, Any]) -> Any:
    event = ct.parse_notification(args.get("body") or "", method=args.get("method", "POST"))
    return "ping" if isinstance(event, ct.Ping) else to_plain(event)


def sync_call(client: ct.Client, call: str, args: Dict[str, Any]) -> Any:
    if call == "balance":
        return client.balance()
    if call == "add_contacts":
        return client.add_contacts(args["contacts"])
    if call == "send":
        return client.send(args["transfers"])
    if call == "pay":
        return client.pay(args["transfers"])
    if call == "transfer_status":
        return client.transfer_status(**query(args))
    if call == "parse_notification":
        return parse(args)
    if call == "confirm_notification":
        event = ct.parse_notification(args.get("fields") or {})
        return "ping" if isinstance(event, ct.Ping) else client.confirm_notification(event)
    if call == "notification_reply":
        return client.reply_to_notification(args.get("method", "POST"), args.get("fields") or {})
    raise AssertionError(f"unknown call {call}")


async def async_call(client: ct.AsyncClient, call: str, args: Dict[str, Any]) -> Any:
    if call == "balance":
        return await client.balance()
    if call == "add_contacts":
        return await client.add_contacts(args["contacts"])
    if call == "send":
        return await client.send(args["transfers"])
    if call == "pay":
        return await client.pay(args["transfers"])
    if call == "transfer_status":
        return await client.transfer_status(**query(args))
    if call == "parse_notification":
        return parse(args)
    if call == "confirm_notification":
        event = ct.parse_notification(args.get("fields") or {})
        return "ping" if isinstance(event, ct.Ping) else await client.confirm_notification(event)
    if call == "notification_reply":
        return await client.reply_to_notification(args.get("method", "POST"), args.get("fields") or {})
    raise AssertionError(f"unknown call {call}")


def matches(pattern: Any, actual: Any, path: str = "result") -> Optional[str]:
    """None when `actual` matches `pattern` (see the README), else why not."""
    if isinstance(pattern, dict) and ("$len" in pattern or "$each" in pattern):
        if not isinstance(actual, list):
            return f"{path}: expected a list, got {actual!r}"
        if "$len" in pattern and len(actual) != pattern["$len"]:
            return f"{path}: expected {pattern['$len']} items, got {len(actual)}: {actual!r}"
        for i, item in enumerate(actual if "$each" in pattern else []):
            why = matches(pattern["$each"], item, f"{path}[{i}]")
            if why:
                return why
        return None
    if isinstance(pattern, dict):
        if not isinstance(actual, dict):
            return f"{path}: expected an object, got {actual!r}"
        for key, value in pattern.items():
            why = matches(value, actual.get(key), f"{path}.{key}")
            if why:
                return why
        return None
    if isinstance(pattern, list):
        if not isinstance(actual, list):
            return f"{path}: expected a list, got {actual!r}"
        if len(pattern) != len(actual):
            return f"{path}: expected {len(pattern)} items, got {len(actual)}: {actual!r}"
        for i, (p, a) in enumerate(zip(pattern, actual)):
            why = matches(p, a, f"{path}[{i}]")
            if why:
                return why
        return None
    # JSON equality: 1 == 1.0 but True != 1.
    if isinstance(pattern, bool) or isinstance(actual, bool):
        ok = type(pattern) is type(actual) and pattern == actual
    else:
        ok = pattern == actual
    return None if ok else f"{path}: expected {pattern!r}, got {actual!r}"


def check(step: Dict[str, Any], outcome: Outcome) -> Optional[str]:
    expect = step.get("expect") or {}
    ok, value = outcome
    if ok and "error" not in expect:
        return matches(expect["ok"], value) if "ok" in expect else None
    if not ok and "error" in expect:
        return matches(expect["error"], value, "error")
    if ok:
        return f"expected an error, got {value!r}"
    return f"unexpected error {value!r}"


def lookup(value: Any, path: str) -> Any:
    for key in filter(None, path.split(".")):
        value = value[int(key)] if isinstance(value, list) else value.get(key)
    return value


def substitute(value: Any, saved: Dict[str, Any], index: Optional[int] = None) -> Any:
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}") and value[2:-1] in saved:
            return saved[value[2:-1]]
        for name, v in saved.items():
            value = value.replace("${" + name + "}", v if isinstance(v, str) else json.dumps(v))
        if index is not None:
            value = value.replace("${i}", str(index))
        return value
    if isinstance(value, list):
        return [substitute(v, saved, index) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, saved, index) for k, v in value.items()}
    return value


def sandbox_for(scenario: Dict[str, Any]) -> Sandbox:
    section = scenario.get("sandbox") or {}
    return Sandbox(
        quirks=section.get("quirks", "real"),
        token_lifetime=float(section.get("token_lifetime_seconds", 300)),
    )


def run(scenario: Dict[str, Any], style: str) -> None:
    """Runs a scenario with the sync `Client` (repeat: threads) or `AsyncClient` (gather)."""
    with sandbox_for(scenario) as sandbox:
        options = client_options(scenario.get("client") or {}, sandbox.base_url)
        if style == "sync":
            client = ct.Client(**options)

            def one(step: Dict[str, Any]) -> Outcome:
                if "admin" in step:
                    return admin(step["admin"], step.get("body"), sandbox.admin_url)
                try:
                    return True, to_plain(sync_call(client, step["call"], step.get("args") or {}))
                except ct.CinetPayError as e:
                    return False, error_json(e)

            def many(steps: List[Dict[str, Any]]) -> List[Outcome]:
                if len(steps) == 1:
                    return [one(steps[0])]
                with ThreadPoolExecutor(max_workers=len(steps)) as pool:
                    return list(pool.map(one, steps))

            _steps(scenario, many)
        else:
            asyncio.run(_run_async(scenario, sandbox, options))


async def _run_async(scenario: Dict[str, Any], sandbox: Sandbox, options: Dict[str, Any]) -> None:
    client = ct.AsyncClient(**options)
    loop = asyncio.get_running_loop()

    async def one(step: Dict[str, Any]) -> Outcome:
        if "admin" in step:
            # urllib blocks: keep the loop free for the other runs of a repeat.
            return await loop.run_in_executor(None, admin, step["admin"], step.get("body"), sandbox.admin_url)
        try:
            return True, to_plain(await async_call(client, step["call"], step.get("args") or {}))
        except ct.CinetPayError as e:
            return False, error_json(e)

    outcomes_of: Dict[int, List[Outcome]] = {}
    steps = scenario["steps"]
    saved: Dict[str, Any] = {}
    for n, raw in enumerate(steps):
        step = substitute(raw, saved)
        runs = [substitute(step, {}, i) for i in range(step.get("repeat", 1))]
        outcomes_of[n] = list(await asyncio.gather(*(one(s) for s in runs)))
        _after(n, runs, outcomes_of[n], saved)


def _steps(scenario: Dict[str, Any], many: Callable[[List[Dict[str, Any]]], List[Outcome]]) -> None:
    saved: Dict[str, Any] = {}
    for n, raw in enumerate(scenario["steps"]):
        step = substitute(raw, saved)
        runs = [substitute(step, {}, i) for i in range(step.get("repeat", 1))]
        _after(n, runs, many(runs), saved)


def _after(n: int, runs: List[Dict[str, Any]], outcomes: List[Outcome], saved: Dict[str, Any]) -> None:
    """Checks each run against its own expectation (`${i}` substituted there too), then saves."""
    step = runs[0]
    label = step.get("call") or step.get("admin")
    for run_step, outcome in zip(runs, outcomes):
        why = check(run_step, outcome)
        assert why is None, f"step {n} ({label}): {why}"
    ok, first = outcomes[0]
    for name, path in (step.get("save") or {}).items():
        assert ok, f"step {n}: nothing to save from an error"
        value = lookup(first, path)
        assert value is not None, f"step {n}: nothing at {path} to save in {first!r}"
        saved[name] = value


__all__ = ["run", "scenario_files", "matches", "Union"]
