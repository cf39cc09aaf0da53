"""The Python clients of scripts/bench.sh, each on the same workload: log in, register N contacts
in chunks of CHUNK, send N payouts in chunks of CHUNK, CONCURRENCY requests in flight.

- ``binding``: the ``cinetpay_transfer`` package, ``Client.add_contacts`` then ``Client.send``.
- ``httpx``: what a competent user writes by hand without the SDK: one keep-alive ``httpx.Client``
  shared by a thread pool of CONCURRENCY workers, one chunk per task, every answer parsed and
  every item's code checked (the API's quirks handled: string codes, doubly nested ``data``).

Usage: python clients.py binding|httpx BASE_URL N LABEL [CHUNK] [CONCURRENCY]
Prints one JSON line: wall and CPU seconds of this process during the workload (every thread,
from getrusage), what the client itself saw accepted, and its memory: the resident set before the
workload (with the inputs built) and the peak, and per phase (``contacts``: log in and register
the contacts; ``payouts``: send them) the resident set before the phase, its peak, and right
after it, inputs and results still alive; ``transient_mb`` is peak minus after: what the call
held beyond the caller's lists (copies, converted results), the figure that must not grow with N
(issue 13, item 4). The phase's peak is VmHWM after resetting it (writing 5 to
/proc/self/clear_refs, Linux >= 4.0; null where that fails). Before reading "after", freed memory
is given back (``give_back``); that time is not counted in the wall and CPU figures.
"""

import ctypes
import gc
import json
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor

API_KEY = "sandbox-api-key"
PASSWORD = "sandbox-password"
NOTIFY_URL = "http://127.0.0.1:9/notify"


def phone(i: int) -> str:
    return f"07{i:07d}1"  # a CI number that never ends in 000 (the sandbox rejects those)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def memory_mb(field):
    """VmRSS (now) or VmHWM (peak) of this process in MB, from /proc; None off Linux."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def reset_peak():
    """Sets VmHWM to the current resident set; False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def give_back():
    """Returns freed memory to the system where the allocator keeps it (glibc's malloc_trim), so
    that the resident set after a phase is what is still alive. Python's small objects and the
    native module's mimalloc keep freed pages unless run with PYTHONMALLOC=malloc and
    MIMALLOC_PURGE_DELAY=0 (what the transient figures in docs/performance.md use)."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


class Phases:
    """The memory of each phase of a workload: peak resident set during it and resident set after."""

    def __init__(self):
        self.figures = {}
        self.peak_mb = memory_mb("VmHWM")  # the process's peak so far (building the inputs)
        self.uncounted_wall = self.uncounted_cpu = 0.0  # measuring, not the workload

    def run(self, name, call, *args):
        before = memory_mb("VmRSS")
        reset = reset_peak()
        out = call(*args)
        peak = memory_mb("VmHWM")
        cpu0, started = cpu_seconds(), time.perf_counter()
        give_back()
        after = memory_mb("VmRSS")
        self.uncounted_wall += time.perf_counter() - started
        self.uncounted_cpu += cpu_seconds() - cpu0
        if peak is not None and self.peak_mb is not None:
            self.peak_mb = max(self.peak_mb, peak)
        self.figures[name] = {
            "before_mb": before,
            "peak_mb": peak if reset else None,
            "after_mb": after,
            "transient_mb": peak - after if reset and peak is not None and after is not None else None,
        }
        return out


def chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def run_binding(base_url, n, label, chunk, concurrency):
    from cinetpay_transfer import Client, Contact, Transfer

    contacts = [Contact(prefix="225", phone=phone(i), name="Bench", surname=f"Payee{i}") for i in range(n)]
    transfers = [
        Transfer(prefix="225", phone=phone(i), amount=500, notify_url=NOTIFY_URL, client_transaction_id=f"{label}-{i}")
        for i in range(n)
    ]

    def workload(phases):
        client = Client(API_KEY, PASSWORD, base_url=base_url, chunk_size=chunk, max_concurrency=concurrency)
        added = phases.run("contacts", client.add_contacts, contacts)
        sent = phases.run("payouts", client.send, transfers)
        return (
            sum(1 for c in added if c.added),
            sum(1 for r in sent if r.outcome == "accepted"),
            1 + 2 * len(chunks(transfers, chunk)),
        )

    return workload


def run_httpx(base_url, n, label, chunk, concurrency):
    import httpx

    contacts = [
        {"prefix": "225", "phone": phone(i), "name": "Bench", "surname": f"Payee{i}", "email": ""} for i in range(n)
    ]
    transfers = [
        {"prefix": "225", "phone": phone(i), "amount": 500, "client_transaction_id": f"{label}-{i}", "notify_url": NOTIFY_URL}
        for i in range(n)
    ]

    def items_of(answer):
        body = answer.json()
        if int(body["code"]) != 0:
            raise RuntimeError(f"{body.get('code')} {body.get('message')}")
        data = body["data"]
        if data and isinstance(data[0], list):  # the live service nests list answers: [[...]]
            data = data[0]
        return data

    def workload(phases):
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        with httpx.Client(base_url=base_url.rstrip("/") + "/", limits=limits, timeout=30.0) as http:
            login = http.post("auth/login", params={"lang": "en"}, data={"apikey": API_KEY, "password": PASSWORD})
            token = login.json()["data"]["token"]
            params = {"token": token, "lang": "en"}

            def post_chunk(path, items, ok_codes):
                answer = http.post(path, params=params, data={"data": json.dumps(items)})
                return sum(1 for item in items_of(answer) if int(item["code"]) in ok_codes)

            def post_all(path, items, ok_codes):
                with ThreadPoolExecutor(max_workers=concurrency) as pool:
                    return sum(pool.map(lambda c: post_chunk(path, c, ok_codes), chunks(items, chunk)))

            added = phases.run("contacts", post_all, "transfer/contact", contacts, (0, 726))
            sent = phases.run("payouts", post_all, "transfer/money/send/contact", transfers, (0,))
        return added, sent, 1 + 2 * len(chunks(transfers, chunk))

    return workload


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    kind, base_url, n, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    chunk = int(sys.argv[5]) if len(sys.argv) > 5 else 50
    concurrency = int(sys.argv[6]) if len(sys.argv) > 6 else 4
    workload = {"binding": run_binding, "httpx": run_httpx}[kind](base_url, n, label, chunk, concurrency)
    rss_before = memory_mb("VmRSS")
    phases = Phases()
    cpu0, started = cpu_seconds(), time.perf_counter()
    added, accepted, requests = workload(phases)
    wall = time.perf_counter() - started - phases.uncounted_wall
    cpu = cpu_seconds() - cpu0 - phases.uncounted_cpu
    print(json.dumps({"client": kind, "wall_s": wall, "cpu_s": cpu, "payouts": n, "contacts_ok": added,
                      "accepted": accepted, "requests": requests,
                      "rss_before_mb": rss_before, "peak_rss_mb": phases.peak_mb, "phases": phases.figures}))


if __name__ == "__main__":
    main()
