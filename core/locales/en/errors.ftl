# The human text of every error of the SDK, in English. Its French twin is ../fr/errors.ftl: a
# message added here must be added there too (a test fails otherwise). The service's own
# `message` and `description` are arguments, never translated. See docs/adr/0007-french.md.

## Refusals by the service

api-refused-described = CinetPay refused the request: {$code} {$message} ({$description})
api-refused = CinetPay refused the request: {$code} {$message}
api-refused-code = CinetPay refused the request with code {$code}
outcome-unknown = the outcome of {$count} payout(s) is unknown ({$cause}); look them up by client_transaction_id before sending them again: {$ids}

## Where in the input (appended to the text)

error-field = [field: {$field}]
error-field-item = [field: {$field}, item {$item}]

## Client settings

credentials-missing = give an API key and password, or a token provider
api-key-empty = the API key is empty
password-empty = the API password is empty
base-url-invalid = base_url must be an absolute http(s) URL
setting-below-one = {$field} must be at least 1
processing-window-invalid = processing_window must be at least request_timeout and at most one day
lang-invalid = lang must be "en" or "fr", not "{$value}"
limit-min-above-max = {$field} ({$min}) must not exceed limits.max_amount ({$max})
limit-digits-invalid = {$field} must be a range of at least 1 digit, smallest first
limit-calling-code-invalid = limits.countries keys must be calling codes of 1 to 3 digits, not "{$prefix}"
token-provider-timeout = the token provider gave no token within {$limit}
http-client-failed = cannot build HTTP client: {$reason}

## Input checks

field-empty = {$field} is empty
no-transfers = no transfer to send
no-contacts = no contact to add
query-one-id = give exactly one of transaction_id, client_transaction_id or lot
id-twice = client_transaction_id {$id} appears twice in this call
email-invalid = email {$email} is not an e-mail address
payment-method-invalid = payment_method {$method} must be an operator code such as OM or MOMO
phone-country-unknown = cannot tell the country of {$phone}: give its prefix
phone-prefix-mismatch = phone {$phone} does not start with its prefix +{$prefix}
prefix-invalid = prefix {$prefix} must be a country calling code such as 225
phone-not-digits = phone {$phone} must be digits only
phone-length = phone {$phone} has {$digits} digits; numbers of +{$prefix} have {$min} to {$max}
amount-below-minimum = amount {$amount} XOF is below the minimum of {$min} XOF for +{$prefix}
amount-above-maximum = amount {$amount} XOF is above the maximum of {$max} XOF
amount-multiple = amount {$amount} XOF must be a multiple of {$multiple}
notify-url-invalid = notify_url {$url} must be an absolute http(s) URL
client-transaction-id-invalid = client_transaction_id {$id} must be 1 to 100 letters, digits, '-', '_', '.' or ':'
lookup-needs-id = a lookup needs the payout's client_transaction_id

## Transport

transport-connect = could not connect to CinetPay
transport-connect-because = could not connect to CinetPay: {$reason}
transport-timeout = CinetPay did not answer in time
transport-timeout-because = CinetPay did not answer in time: {$reason}
transport-broken = the connection broke while reading CinetPay's answer
transport-broken-because = the connection broke while reading CinetPay's answer: {$reason}
transport-failed = the connection to CinetPay failed
transport-failed-because = the connection to CinetPay failed: {$reason}

## Answers this SDK cannot read

answer-too-large = HTTP {$status} with an answer larger than {$limit} bytes
answer-not-api = HTTP {$status} with a body that is not an API answer: {$body}
answer-not-api-unquoted = HTTP {$status} with a body that is not an API answer (not shown: the answer to a login may hold a token)
code-not-number = the answer's `code` is not a number: {$code}
login-without-token = login answer without a token
balance-field-missing = balance answer without a numeric `{$name}`
status-without-id = transfer status without `transaction_id`
status-without-amount = transfer {$id} without a numeric `amount`
outcome-not-reported = the service did not say what became of the payouts
answer-missing-id = the answer did not report client_transaction_id {$id} once
answer-without-code = the answer about {$id} has no readable code
lookup-other-payouts = the lookup of client_transaction_id {$id} answered about other payouts only
lookup-several-payouts = the lookup of client_transaction_id {$id} answered several payouts under that id

## Payouts and their status

transfer-not-found = no transfer with {$field} {$value}
duplicate-other-payout = client_transaction_id {$id} is already used by another payout ({$amount} XOF, {$transaction_id})

## Notifications

notification-not-form = notification body is not form-encoded: {$reason}
notification-no-field = the notification body has no form field: not a ping, and not readable
notification-no-transaction-id = the notification has no transaction_id
notification-bad-amount = notification amount {$value} is not a whole number
notification-mismatch = notification says {$field} {$notified} but CinetPay says {$actual}: not trusted
notified-transfer-unknown = the service does not know the notified transfer

## Token store (shared by many processes, ADR 8)

token-store-url = token_store must be "memory" or a redis:// URL (redis://host:6379/0)
token-store-no-redis = this build has no Redis support (the cinetpay-transfer crate's `redis` feature)
token-store-redis-url = not a valid Redis URL ({$reason})
token-store-with-provider = a token store shares logins: give an API key and password, not a token provider
token-store-unreachable = token store (Redis): {$reason}
login-refused-elsewhere = another process sharing the token store had these credentials refused ({$code}); no new login before {$seconds} s
item-unreadable = item {$index} of the list could not be read: {$reason}
item-changed = item {$index} of the list changed while the call was sending it; it was not sent
