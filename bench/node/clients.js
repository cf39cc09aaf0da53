'use strict'
// The Node clients of scripts/bench.sh, each on the same workload: log in, register N contacts in
// chunks of CHUNK, send N payouts in chunks of CHUNK, CONCURRENCY requests in flight.
//
// - `binding`: the `cinetpay-transfer` package (its directory in CINETPAY_NODE_PACKAGE),
//   `client.addContacts` then `client.send`.
// - `fetch`: what a competent user writes by hand without the SDK: Node's own fetch (undici, keep-
//   alive by default), a Promise pool of CONCURRENCY workers taking chunks from one queue, every
//   answer parsed and every item's code checked (string codes and doubly nested `data` handled).
//
// Usage: node clients.js binding|fetch BASE_URL N LABEL [CHUNK] [CONCURRENCY]
// Prints one JSON line: wall and CPU seconds of this process during the workload (every thread,
// process.cpuUsage), and what the client itself saw accepted.

const API_KEY = 'sandbox-api-key'
const PASSWORD = 'sandbox-password'
const NOTIFY_URL = 'http://127.0.0.1:9/notify'

// A CI number that never ends in 000 (the sandbox rejects those).
const phone = (i) => `07${String(i).padStart(7, '0')}1`

function chunks(items, size) {
  const out = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function binding(baseUrl, n, label, chunk, concurrency) {
  const { Client } = require(process.env.CINETPAY_NODE_PACKAGE)
  const contacts = Array.from({ length: n }, (_, i) => ({
    prefix: '225', phone: phone(i), name: 'Bench', surname: `Payee${i}`, email: '',
  }))
  const transfers = Array.from({ length: n }, (_, i) => ({
    prefix: '225', phone: phone(i), amount: 500, notifyUrl: NOTIFY_URL, clientTransactionId: `${label}-${i}`,
  }))
  return async () => {
    const client = new Client({ apiKey: API_KEY, password: PASSWORD, baseUrl, chunkSize: chunk, maxConcurrency: concurrency })
    const added = await client.addContacts(contacts)
    const sent = await client.send(transfers)
    return {
      contactsOk: added.filter((c) => c.added).length,
      accepted: sent.filter((r) => r.outcome === 'accepted').length,
      requests: 1 + 2 * chunks(transfers, chunk).length,
    }
  }
}

function handWritten(baseUrl, n, label, chunk, concurrency) {
  const base = baseUrl.replace(/\/$/, '')
  const contacts = Array.from({ length: n }, (_, i) => ({
    prefix: '225', phone: phone(i), name: 'Bench', surname: `Payee${i}`, email: '',
  }))
  const transfers = Array.from({ length: n }, (_, i) => ({
    prefix: '225', phone: phone(i), amount: 500, client_transaction_id: `${label}-${i}`, notify_url: NOTIFY_URL,
  }))

  async function post(url, form) {
    const answer = await fetch(url, { method: 'POST', body: new URLSearchParams(form) })
    const body = await answer.json()
    if (Number(body.code) !== 0) throw new Error(`${body.code} ${body.message}`)
    return body
  }

  // CONCURRENCY workers take the next chunk until none is left.
  async function pool(url, batches, okCodes) {
    let next = 0
    let ok = 0
    async function worker() {
      while (next < batches.length) {
        const items = batches[next++]
        const body = await post(url, { data: JSON.stringify(items) })
        let data = body.data
        if (data.length && Array.isArray(data[0])) data = data[0] // the live service nests: [[...]]
        ok += data.filter((item) => okCodes.includes(Number(item.code))).length
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    return ok
  }

  return async () => {
    const login = await post(`${base}/auth/login?lang=en`, { apikey: API_KEY, password: PASSWORD })
    const query = `?token=${encodeURIComponent(login.data.token)}&lang=en`
    const contactsOk = await pool(`${base}/transfer/contact${query}`, chunks(contacts, chunk), [0, 726])
    const accepted = await pool(`${base}/transfer/money/send/contact${query}`, chunks(transfers, chunk), [0])
    return { contactsOk, accepted, requests: 1 + 2 * chunks(transfers, chunk).length }
  }
}

async function main() {
  const [kind, baseUrl, nText, label, chunkText, concurrencyText] = process.argv.slice(2)
  if (!label) {
    console.error('usage: node clients.js binding|fetch BASE_URL N LABEL [CHUNK] [CONCURRENCY]')
    process.exit(2)
  }
  const n = Number(nText)
  const make = { binding, fetch: handWritten }[kind]
  const workload = make(baseUrl, n, label, Number(chunkText || 50), Number(concurrencyText || 4))
  const rssBefore = memoryMb('VmRSS')
  const cpu0 = process.cpuUsage()
  const started = process.hrtime.bigint()
  const result = await workload()
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  const cpu = process.cpuUsage(cpu0)
  console.log(JSON.stringify({
    client: kind, wall_s: wall, cpu_s: (cpu.user + cpu.system) / 1e6, payouts: n,
    contacts_ok: result.contactsOk, accepted: result.accepted, requests: result.requests,
    rss_before_mb: rssBefore, peak_rss_mb: memoryMb('VmHWM'),
  }))
}

/** VmRSS (now) or VmHWM (peak) of this process in MB, from /proc; null off Linux. */
function memoryMb (field) {
  try {
    const line = require('node:fs').readFileSync('/proc/self/status', 'utf8')
      .split('\n').find((l) => l.startsWith(field + ':'))
    return line ? Number(line.split(/\s+/)[1]) / 1024 : null
  } catch {
    return null
  }
}

main().catch((error) => { console.error(error); process.exit(1) })
