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

## Payout runs

payout-started = run {$run}; if interrupted, resume it with: {$resume}
sending-stopped = sending stopped: {$reason}
payout-unfinished = not finished: {$pending} pending, {$unknown} unknown. Follow them without sending anything: `cinetpay{$flags} watch --journal {$journal}`; or resume the run (nothing already sent is sent again): `{$resume}`
interrupted-dry-run = interrupted; a dry run sends nothing and writes no journal
interrupted-sandbox = interrupted; the embedded sandbox stops with this process (no money moved)
interrupted-payout = interrupted; every change so far is in the journal. Resume the run with `{$resume}`: rows sent or possibly sent are looked up and never sent twice.
rows-and-xof = {$rows} row(s), {$amount}
summary-title = run {$run}: payouts of {$file} (journal: {$journal})
summary-earlier = of which {$rows} were already at CinetPay when this journal started (not sent by it)
col-line = line
col-state = state
col-reason = reason
summary-more = ... and {$count} more rows not paid (every row: --json, or the journal)
state-sending = sending
state-accepted = accepted
state-pending = pending
state-paid = paid
state-rejected = rejected
state-failed = failed
state-unknown = unknown

## Confirmation and dry runs

confirm-question = send {$what} for run {$run} from the merchant whose API key fingerprint is {$merchant}, at {$url}
dry-run-title = dry run of {$file}: nothing is sent
dry-run-left-out = {$count} row(s) that run {$run} already sent (or may have) are left out
country-lacking = {$country} (needs {$needed}, available {$available})
balance-not-enough = the balance is not enough for: {$countries}
col-to-send = to send
col-enough = enough
enough-yes = yes
enough-no = NO
no-terminal = {$question}: there is no terminal to ask on, so nothing was sent. Add --yes to send without asking (scripts, cron), or run it on a terminal.
confirm-prompt = {$question}? Type yes to send:
answer-unreadable = cannot read the answer: {$reason}; nothing was sent
not-confirmed = not confirmed; nothing was sent

## Credentials

credentials-unreadable = cannot read credentials file {$path}: {$reason}
credentials-bad-line = {$path}: a line is not KEY=VALUE (.env syntax)
credentials-bad-line-at = {$path}:{$line}: not a KEY=VALUE line (.env syntax)
credentials-in-file = in {$path}
credentials-in-env = in the environment
credentials-and = and
credentials-missing = {$names} not set {$origin}: set them in the environment or use --credentials-file (or --sandbox to try without an account)

## Retrying a send

send-how-to-retry = Check it first with `cinetpay status --client-transaction-id {$id}`. To try again, wait at least {$minutes} minute(s) (CinetPay may still be working on the request that left: --request-timeout plus --processing-window), then repeat the command with `--client-transaction-id {$id}`: it looks the id up first and sends nothing if CinetPay holds it, and CinetPay never pays one id twice, while a new id is a new payout.

## CSV files

csv-row-error = line {$line}, {$field}: {$message}
interrupted-send = interrupted: the payout may or may not have been sent under client_transaction_id {$id}. {$retry}

## Starting or continuing a run

journal-holds-other-run = the journal {$journal} holds run {$run} (started {$started}), so nothing was sent. To continue that run, leave out --run and --new-run. A different run needs its own journal (--journal NEW_PATH) and pays {$pays}, even those run {$run} paid.
new-journal-needs-run = {$journal} is a new journal, so this starts a new payout run: name it with --run NAME (e.g. --run 2026-11-salaries). Rows of one run always get the same ids and CinetPay never pays an id twice, so the name of a run already paid pays none of its rows again, and a new name pays {$pays}. Nothing was sent.
other-account = {$reason} To pay this file with these credentials, start a new journal under the same run name: --journal NEW_PATH --run {$run}. Of its {$rows}, those CinetPay already holds for this account (the same account with a new API key) are looked up and never sent again; the others are paid from this account.
maybe-sent-by-other-journal = not at CinetPay when this journal started; another journal of run {$run} may have sent it moments ago: looked up again before it is sent
new-run-pays-all = every row of this file ({$rows})
new-run-pays-derived = every row of this file without its own client_transaction_id ({$rows}; the others keep their ids and are never paid twice)
note-found-derived = note: {$what} of run {$run} were already at CinetPay when this journal started (sent by another journal of the run): they are not sent again. If this file is a new payment, it needs a new run name, in a new journal: that pays these {$what} again.
note-found-own = note: {$what} whose client_transaction_id comes from the file were already at CinetPay under those ids: they are not sent again. A run name does not change these ids; to pay them again as a new payment, give them new ids in the file.
sent-row-line =   line {$line} when sent: {$row}, {$state}
sent-rows-gone = {$file} changed since run {$run} started, and {$count} payout(s) the run already sent (or may have sent) are no longer in it as they were sent (changed or removed):
sent-rows-gone-advice = A payout that was sent exists whatever the file says now, so nothing was sent. Put these rows back as they were; to pay someone a different amount, keep the row and add another row for the difference.
file-changed = {$file} changed since run {$run} started ({$started}). To continue the run with the file as it is now, add --allow-changed-file: that pays {$added} new in the file, drops {$dropped} never sent that are gone from it, and sends none of the {$sent} row(s) already sent again. Nothing was sent.
id-taken = line {$line}: client_transaction_id {$id} is already used at CinetPay by another payout ({$amount}, {$transaction}): give the row another id. Nothing was sent.
lookup-undecided = cannot tell whether CinetPay already holds line {$line} ({$id}): {$reason}. Nothing was sent; the same command asks again.

## Sending and following a run

unknown-reason = outcome unknown: the answer was lost; a rerun looks it up before sending
journal-window-not-marked = the journal {$path} could not mark the next {$rows} rows as being sent (it found {$found} of them); none of them was sent. Run the same payout command again: rows already sent are never sent again.
journal-payee-missing = the journal has no payee for {$row} (a journal made by an older cinetpay); nothing more was sent. Run the same payout command again: it takes the payees from the file first, and rows already sent are never sent again.
line-fault = line {$line}: {$reason}
file-changed-while-reading = {$file} changed while this run was reading it{$first}; nothing more was sent. Run the same command again once the file is as it should be: rows already sent are never sent again.
earlier-attempt-running = not at CinetPay yet, but an earlier attempt may still be running there until {$until}: it is looked up again then, never sent before
id-held-by-other = CinetPay holds another payout under this id ({$amount}, {$transaction}); this row may or may not have been paid: check `cinetpay status --client-transaction-id {$id}`
lookup-failed = lookup failed: {$reason}
waiting-for-earlier = {$count} row(s) are not at CinetPay yet, but an earlier attempt of them (an interrupted run, or another journal of this run) may still be running there (--request-timeout + --processing-window since it may have left): waiting {$wait} (until {$until}) before looking them up again; nothing is sent meanwhile, and an interruption is safe

## CSV files: columns and cells

csv-no-payouts = the file has no payout rows
csv-no-contacts = the file has no contact rows
csv-id-taken = {$id} is also the id line {$other} gets from the run (that row has no client_transaction_id of its own), and two rows cannot be paid under one id. Give this row back the client_transaction_id it had before (an empty cell if it had none): each row then keeps the id it was paid under, and nothing is paid twice.
csv-id-reused = {$id} is also used on line {$first}
csv-unreadable-file = cannot read the file: {$reason}
csv-unreadable-header = cannot read the header: {$reason}
csv-unknown-column = unknown column {$column} (known columns: {$known})
csv-missing-column = missing column {$column}
csv-unreadable = unreadable CSV: {$reason}
csv-too-many-cells = {$cells} cells for {$columns} columns
csv-column-twice = column {$column} appears twice (columns {$first} and {$second}, names compared ignoring case): keep one
csv-not-whole = {$raw} is not a whole number of XOF
csv-no-notify-url = no notify_url: fill the column or pass --notify-url

## Journals and durations

journal-other-service = the service at {$want}, not {$have}
journal-other-merchant = the merchant whose API key fingerprint is {$want}, not {$have}
journal-other-account = the journal {$journal} records run {$run} made with {$what}; its states say nothing about this account, so nothing was sent. To continue that run, use its service and credentials.
journal-missing = no journal at {$path}: give the path used by `cinetpay payout --journal`, or FILE.csv.journal.sqlite
journal-busy = the journal {$path} is in use by another cinetpay process: wait for it to finish
journal-format = the journal {$path} has format {$found}, this cinetpay reads format {$wanted}: continue that run with the cinetpay version that started it; nothing was sent
journal-error = journal {$path}: {$reason}
duration-invalid = {$raw} is not a duration ({$reason}; examples: 500ms, 2s, 10m, 1h 30m)
duration-too-long = {$raw} is longer than the longest accepted, 7 days

## Last words

send-id-taken = client_transaction_id {$id} is already used at CinetPay by another payout ({$amount}, {$transaction}): nothing was sent. A new payout needs a new id.
send-lookup-undecided = cannot tell whether CinetPay already holds client_transaction_id {$id}: {$reason}. Nothing was sent; the same command asks again.
request-timeout-zero = --request-timeout must be more than 0
processing-window-invalid = --processing-window ({$window}) must be at least --request-timeout ({$timeout}) and at most 1 day; nothing was sent
runtime-failed = cannot start the async runtime: {$reason}
