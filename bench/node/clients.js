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
// process.cpuUsage), what the client itself saw accepted, and the memory of each bulk call (Linux
// only), in MB: `*_peak_mb`, peak RSS during the call minus RSS before it; `*_results_mb`, what
// the JS heap holds more after the call than before (its results; both after a full GC); and
// `*_transient_mb`, the difference: what the call held beyond its inputs and results. Freed memory
// mostly stays in the process (V8, mimalloc), so RSS after a call says little; its peak does. A
// call that holds only its chunks in flight keeps `*_transient_mb` flat as N grows. Only the
// first call (contacts) starts from a process that has not held a call before. The measuring
// pauses (two GCs and a wait per call) are left out of wall_s, not of cpu_s.

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
    const [added, contactsMemory] = await transient(() => client.addContacts(contacts))
    const [sent, sendMemory] = await transient(() => client.send(transfers))
    return {
      contactsOk: added.filter((c) => c.added).length,
      accepted: sent.filter((r) => r.outcome === 'accepted').length,
      requests: 1 + 2 * chunks(transfers, chunk).length,
      contacts: contactsMemory,
      send: sendMemory,
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
    const [contactsOk, contactsMemory] = await transient(() =>
      pool(`${base}/transfer/contact${query}`, chunks(contacts, chunk), [0, 726]))
    const [accepted, sendMemory] = await transient(() =>
      pool(`${base}/transfer/money/send/contact${query}`, chunks(transfers, chunk), [0]))
    return { contactsOk, accepted, requests: 1 + 2 * chunks(transfers, chunk).length, contacts: contactsMemory, send: sendMemory }
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
  const peakRss = Math.max(peakBefore, memoryMb('VmHWM') ?? 0) || null
  const wall = Number(process.hrtime.bigint() - started) / 1e9 - paused
  const cpu = process.cpuUsage(cpu0)
  console.log(JSON.stringify({
    client: kind, wall_s: wall, cpu_s: (cpu.user + cpu.system) / 1e6, payouts: n,
    contacts_ok: result.contactsOk, accepted: result.accepted, requests: result.requests,
    rss_before_mb: rssBefore, peak_rss_mb: peakRss,
    contacts_peak_mb: result.contacts.peak, contacts_results_mb: result.contacts.results,
    contacts_transient_mb: result.contacts.transient,
    send_peak_mb: result.send.peak, send_results_mb: result.send.results, send_transient_mb: result.send.transient,
  }))
}

// VmHWM over the whole run (`transient` resets it for each call), and the measuring pauses, s.
let peakBefore = 0
let paused = 0

// A full GC on demand, so that an RSS read counts live memory (plain `node`, no --expose-gc flag).
const v8 = require('node:v8')
v8.setFlagsFromString('--expose-gc')
const gc = require('node:vm').runInNewContext('gc')

/** A full GC, then a wait for the allocators to give freed pages back; the time goes to `paused`. */
async function settle() {
  const start = process.hrtime.bigint()
  gc()
  await new Promise((resolve) => setTimeout(resolve, 250))
  paused += Number(process.hrtime.bigint() - start) / 1e9
}

/**
 * Runs `call` and measures its memory: [value, { peak, results, transient }], MB, null where the peak
 * cannot be reset (not Linux). See the header for what each means.
 */
async function transient(call) {
  peakBefore = Math.max(peakBefore, memoryMb('VmHWM') ?? 0)
  await settle()
  const before = memoryMb('VmRSS')
  const heapBefore = v8.getHeapStatistics().used_heap_size
  let reset = true
  try {
    require('node:fs').writeFileSync('/proc/self/clear_refs', '5') // VmHWM := VmRSS
  } catch {
    reset = false
  }
  const value = await call()
  const peak = memoryMb('VmHWM')
  await settle()
  const results = (v8.getHeapStatistics().used_heap_size - heapBefore) / 2 ** 20
  const mb = (x) => (reset && peak !== null ? Number(x.toFixed(1)) : null)
  return [value, { peak: mb(peak - before), results: mb(results), transient: mb(peak - before - results) }]
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
