"""Payouts spread over Celery workers, each sent at most once.

A payroll is split into batches; each batch is one Celery task that pays its payouts with the
core's rules (ADR 2). What Celery adds to those rules is that a task may run again: the worker that
ran it died (SIGKILL, OOM, a deploy) and the broker handed the message to another worker. This
module makes that safe:

- ``client_transaction_id`` is fixed for every payout **before** anything is enqueued
  (``pay_payroll``), so a task carries the ids and every run of it means the same payouts;
- the task is ``acks_late`` and ``reject_on_worker_lost``: the message is acknowledged only once
  the task has finished, so a task whose worker died is re-delivered instead of lost;
- a **re-delivered** task sends nothing at first: it looks each payout up by id (``look_up``).
  Found: accepted. Not found: the dead worker's request may still be running at the service, so
  the task comes back after ``processing_window`` seconds, looks up again and only then sends what
  is still not there (the core's rule 3, across processes);
- a payout whose outcome is ``unknown`` is retried by lookup only, a few times, never by resending;
  it stays ``unknown`` in the summary if no lookup shows it.

    from celery import Celery
    from cinetpay_transfer import Client
    from cinetpay_transfer.celery import payout_task, pay_payroll

    app = Celery("payroll", broker="redis://127.0.0.1:6379/0", backend="redis://127.0.0.1:6379/1")
    pay_batch = payout_task(app, lambda: Client(API_KEY, PASSWORD, token_store="redis://127.0.0.1:6379/2"))

    payroll = pay_payroll(pay_batch, transfers, batch_size=100)  # ids fixed, tasks enqueued
    summary = payroll.summary(timeout=600)                        # waits for every batch
    summary.accepted, summary.failed, summary.unknown               # lists of PayoutResult

Importing this module imports Celery; ``import cinetpay_transfer`` alone never does.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Union

from celery import Celery, Task, group
from celery.result import GroupResult

from ._errors import CinetPayError, OutcomeUnknownError, ValidationError
from ._models import LookupStatus, SendOutcome, Transfer
from ._native import Client

__all__ = ["PayoutResult", "Payroll", "PayrollSummary", "fix_ids", "pay_payroll", "payout_task"]

TransferLike = Union[Transfer, Mapping[str, Any]]

#: The phases of a batch task, carried in its kwargs from one run to the next.
SEND = "send"  # first delivery: pay the batch
CHECK = "check"  # re-delivered (or the whole call failed): look up, then wait the window
RESEND = "resend"  # the window has passed: look up again, send only what is still not there
SETTLE = "settle"  # outcomes unknown: look up only, never send


@dataclass(frozen=True)
class PayoutResult:
    """The final word on one payout of a payroll (JSON-friendly, as Celery stores it)."""

    client_transaction_id: str
    amount: int
    outcome: str  #: "accepted", "failed" or "unknown" (the values of ``SendOutcome``)
    transaction_id: Optional[str] = None
    error: Optional[str] = None  #: why it failed, or why its outcome is unknown (no secret in it)
    error_kind: Optional[str] = None


@dataclass(frozen=True)
class PayrollSummary:
    """Every payout of a payroll, by outcome, and what the batches went through."""

    accepted: List[PayoutResult] = field(default_factory=list)
    failed: List[PayoutResult] = field(default_factory=list)  #: surely not paid: may be sent again under a new id
    unknown: List[PayoutResult] = field(default_factory=list)  #: look up by id before anything else
    batches: int = 0
    redelivered_batches: int = 0  #: batches that ran again after their worker died

    @property
    def accepted_amount(self) -> int:
        return sum(r.amount for r in self.accepted)

    @property
    def total(self) -> int:
        return len(self.accepted) + len(self.failed) + len(self.unknown)


def fix_ids(transfers: Iterable[TransferLike]) -> List[Dict[str, Any]]:
    """The payouts as plain dicts (what a task message carries), each with its own
    ``client_transaction_id``: the given one, or a new UUID. Ids given twice are refused, as the
    service keeps an id for ever."""
    fixed: List[Dict[str, Any]] = []
    seen = set()
    for index, t in enumerate(transfers):
        item = {k: v for k, v in (asdict(t) if isinstance(t, Transfer) else dict(t)).items() if v is not None}
        item.setdefault("client_transaction_id", str(uuid.uuid4()))
        if item["client_transaction_id"] in seen:
            raise ValidationError(
                f"client_transaction_id {item['client_transaction_id']!r} is given twice",
                kind="validation",
                field="client_transaction_id",
                index=index,
            )
        seen.add(item["client_transaction_id"])
        fixed.append(item)
    return fixed


def payout_task(
    app: Celery,
    client: Callable[[], Client],
    *,
    name: str = "cinetpay_transfer.pay_batch",
    processing_window: float = 90.0,
    lookup_delay: float = 30.0,
    lookup_attempts: int = 5,
) -> Task:
    """Registers on ``app`` the task that pays one batch, and returns it.

    ``client`` makes the ``Client`` of a worker process (called once per process, on first use);
    give it a shared ``token_store`` so that the processes share one login. ``processing_window``
    (seconds) must be at least the client's own (90 s by default): how long a request of a dead
    worker may still run at the service. Payouts whose outcome is unknown are looked up again
    ``lookup_delay`` seconds apart. A batch runs at most ``lookup_attempts`` + 1 times (its
    first run and its retries); what no lookup has settled by then is reported unknown.
    """
    clients: Dict[int, Client] = {}

    def current_client() -> Client:
        pid = os.getpid()
        if pid not in clients:
            clients.clear()
            clients[pid] = client()
        return clients[pid]

    @app.task(name=name, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
    def pay_batch(
        self: Task,
        transfers: List[Dict[str, Any]],
        phase: str = SEND,
        done: Optional[List[Dict[str, Any]]] = None,
        rounds: int = 0,
        redelivered: bool = False,
    ) -> Dict[str, Any]:
        delivery = self.request.delivery_info or {}
        if delivery.get("redelivered") and phase in (SEND, RESEND):
            phase, redelivered = CHECK, True  # a dead worker may have sent it: look up first
        batch = _Batch(current_client(), transfers, list(done or ()))
        if phase == SEND:
            batch.send(batch.pending)
        elif phase == CHECK:
            batch.look_up()
            batch.then(RESEND, processing_window)
        elif phase == RESEND:
            batch.send(batch.look_up())  # only what a lookup after the window still does not show
        else:
            batch.look_up()
            batch.then(SETTLE, lookup_delay)
        if batch.pending and rounds >= lookup_attempts:
            batch.give_up()  # lookups do not settle it: unknown, never sent again by this task
        if batch.pending:
            raise self.retry(
                args=(),
                kwargs={
                    "transfers": batch.pending,
                    "phase": batch.next_phase,
                    "done": batch.done,
                    "rounds": rounds + 1,
                    "redelivered": redelivered,
                },
                countdown=batch.delay,
            )
        return {"results": batch.done, "redelivered": redelivered}

    return pay_batch


class _Batch:
    """One run of a batch task: what is settled (``done``) and what is left (``pending``), and
    when and how the task runs next if something is left."""

    def __init__(self, client: Client, transfers: List[Dict[str, Any]], done: List[Dict[str, Any]]) -> None:
        self.client = client
        self.pending = transfers
        self.done = done
        self.next_phase = SETTLE
        self.delay = 0.0

    def then(self, phase: str, delay: float) -> None:
        self.next_phase, self.delay = phase, delay

    def _finish(self, transfer: Dict[str, Any], outcome: str, **extra: Any) -> None:
        self.done.append(
            asdict(PayoutResult(transfer["client_transaction_id"], transfer["amount"], outcome, **extra))
        )

    def send(self, transfers: List[Dict[str, Any]]) -> None:
        """Pays ``transfers`` (pending ones; contacts registered first). Unknown outcomes stay
        pending for lookups (SETTLE); the rest of ``pending`` is left as it is."""
        if not transfers:
            return
        sending = {t["client_transaction_id"] for t in transfers}
        others = [t for t in self.pending if t["client_transaction_id"] not in sending]
        transfers = list(transfers)
        try:
            results = self._pay_valid(transfers)
        except OutcomeUnknownError as e:
            unknown = set(e.client_transaction_ids)
            self.pending = others + [t for t in transfers if t["client_transaction_id"] in unknown]
            self.then(SETTLE, 0.0)
            return
        except ValidationError as e:  # about the batch as a whole; nothing left
            for t in transfers:
                self._finish(t, SendOutcome.FAILED.value, error=str(e), error_kind=e.kind)
            self.pending = others
            return
        except CinetPayError:
            # The core says nothing of the call was processed; the task still looks up first.
            self.pending = others + transfers
            self.then(CHECK, 0.0)
            return
        by_id = {t["client_transaction_id"]: t for t in transfers}
        self.pending = others
        for r in results:
            transfer = by_id[r.client_transaction_id]
            if r.outcome is SendOutcome.UNKNOWN:
                self.pending.append(transfer)
                continue
            self._finish(
                transfer,
                r.outcome.value,
                transaction_id=r.transaction_id,
                error=None if r.error is None else str(r.error),
                error_kind=None if r.error is None else r.error.kind,
            )
        self.then(SETTLE if self.pending else CHECK, 0.0)

    def _pay_valid(self, transfers: List[Dict[str, Any]]) -> List[Any]:
        """Pays ``transfers``; a payout the core refuses before anything leaves (bad input, named
        by its index) is reported failed and taken out, and the rest is paid. Takes the refused
        ones out of ``transfers`` itself."""
        while True:
            try:
                return self.client.pay(transfers) if transfers else []
            except ValidationError as e:
                if e.index is None or not 0 <= e.index < len(transfers):
                    raise
                bad = transfers.pop(e.index)
                self._finish(bad, SendOutcome.FAILED.value, error=str(e), error_kind=e.kind)

    def look_up(self) -> List[Dict[str, Any]]:
        """Settles every pending payout a lookup shows. All others stay pending; returns those the
        service answered it does not show (not those it could not be asked about)."""
        still: List[Dict[str, Any]] = []
        not_found: List[Dict[str, Any]] = []
        for t in self.pending:
            try:
                found = self.client.look_up(t)
            except CinetPayError:
                still.append(t)
                continue
            if found.status is LookupStatus.FOUND and found.transfer is not None:
                self._finish(t, SendOutcome.ACCEPTED.value, transaction_id=found.transfer.transaction_id)
            elif found.status is LookupStatus.CONFLICT:
                self._finish(
                    t,
                    SendOutcome.UNKNOWN.value,
                    error="another payout is held under this client_transaction_id",
                    error_kind="duplicate_transaction",
                )
            else:
                still.append(t)
                not_found.append(t)
        self.pending = still
        return not_found

    def give_up(self) -> None:
        """Reports every pending payout unknown: it may have been sent, no lookup showed it."""
        for t in self.pending:
            self._finish(
                t,
                SendOutcome.UNKNOWN.value,
                error="no lookup showed this payout: look it up by client_transaction_id before sending it again",
                error_kind="outcome_unknown",
            )
        self.pending = []


class Payroll:
    """A payroll on its way: the tasks enqueued (one per batch), and the ids fixed before they were."""

    def __init__(self, result: GroupResult, batches: List[List[Dict[str, Any]]]) -> None:
        self.result = result
        self.batches = batches

    @property
    def client_transaction_ids(self) -> List[str]:
        return [t["client_transaction_id"] for batch in self.batches for t in batch]

    def summary(self, timeout: Optional[float] = None) -> PayrollSummary:
        """Waits for every batch and sorts the payouts by outcome (needs a result backend).

        A batch whose task failed (an exception in the task, e.g. the client factory's) has its
        payouts reported unknown: it may have sent some before it failed.
        """
        finished = self.result.join(timeout=timeout, propagate=False)
        by_outcome: Dict[str, List[PayoutResult]] = {o.value: [] for o in SendOutcome}
        for batch, outcome in zip(self.batches, finished):
            if isinstance(outcome, BaseException) or not isinstance(outcome, dict):
                for t in batch:
                    by_outcome[SendOutcome.UNKNOWN.value].append(
                        PayoutResult(
                            t["client_transaction_id"],
                            t["amount"],
                            SendOutcome.UNKNOWN.value,
                            error=f"its batch task failed ({type(outcome).__name__}): look the payout up by "
                            "client_transaction_id before sending it again",
                            error_kind="outcome_unknown",
                        )
                    )
                continue
            for r in outcome["results"]:
                by_outcome[r["outcome"]].append(PayoutResult(**r))
        return PayrollSummary(
            accepted=by_outcome[SendOutcome.ACCEPTED.value],
            failed=by_outcome[SendOutcome.FAILED.value],
            unknown=by_outcome[SendOutcome.UNKNOWN.value],
            batches=len(self.batches),
            redelivered_batches=sum(1 for b in finished if isinstance(b, dict) and b["redelivered"]),
        )


def pay_payroll(task: Task, transfers: Iterable[TransferLike], *, batch_size: int = 100) -> Payroll:
    """Fixes every payout's id, splits the payroll into batches of ``batch_size`` and enqueues
    one ``task`` (from ``payout_task``) per batch, as a Celery group."""
    if batch_size < 1:
        raise ValidationError("batch_size must be at least 1", kind="validation", field="batch_size")
    fixed = fix_ids(transfers)
    batches = [fixed[i : i + batch_size] for i in range(0, len(fixed), batch_size)]
    result = group(task.s(transfers=batch) for batch in batches).apply_async()
    return Payroll(result, batches)
