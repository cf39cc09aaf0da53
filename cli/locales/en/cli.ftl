# Every sentence the `cinetpay` command prints for people, in English. Its French twin is
# ../fr/cli.ftl: a message added here must be added there too (a test fails otherwise). JSON output
# is for programs and is never translated. See docs/adr/0007-french.md.

## Tables and totals

bucket-paid = paid
bucket-rejected = rejected
bucket-failed = failed
bucket-pending = pending
bucket-unknown = unknown
bucket-total = total
col-status = status
col-payouts = payouts
col-amount = amount
error-prefix = error: {$message}
json-unwritable = cannot write JSON: {$reason}

## Progress

phase-sending = sending
phase-waiting = waiting

## balance

balance-all = all
col-country = country
col-available = available
col-in-use = in use
col-total = total

## send

send-announce = sending {$amount} to {$phone} under client_transaction_id {$id}
send-already-held = CinetPay already holds this payout under client_transaction_id {$id}: nothing was sent (it is never paid twice)
send-unknown = the outcome is unknown: the payout may have been recorded. {$retry}
send-accepted-not-final = accepted, not final yet: follow it with `cinetpay status --client-transaction-id {$id}` (do not send it again: it is recorded)
send-failed = failed: no money left for client_transaction_id {$id}
outcome-accepted = accepted
outcome-failed = failed
outcome-unknown = unknown
row-to = to
row-amount = amount
row-outcome = outcome
row-error = error
row-status = status
row-comment = comment
col-payout = payout

## status

col-receiver = receiver
col-operator = operator
col-sending = sending
col-comment = comment

## watch

watch-no-run = the journal {$journal} holds no run yet: nothing to watch
watch-title = run {$run} (journal: {$journal})

## contacts

cannot-read = cannot read {$path}: {$reason}
file-problems = {$file} has {$count} problem(s); nothing was sent:
contact-refused = refused: {$reason}
contact-existed = already a contact
contact-added = added
col-phone = phone
col-result = result

## sandbox

sandbox-failed = cannot start the sandbox: {$reason}
sandbox-serving = sandbox serving at {$url} (admin API: {$admin})
sandbox-use = no real money moves; use it from another shell with:
sandbox-stop = Ctrl-C to stop.
ctrl-c-failed = cannot wait for Ctrl-C: {$reason}
embedded-sandbox-failed = cannot start the embedded sandbox: {$reason}
embedded-sandbox = using the embedded sandbox at {$url}: no real money moves

## Interruptions

interrupted-watch = interrupted; watch sends nothing and every status seen is in the journal: run it again to keep following
interrupted-contacts = interrupted; contacts already added stay added (adding one again is harmless)
interrupted = interrupted
