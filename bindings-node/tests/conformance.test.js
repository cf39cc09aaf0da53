'use strict'
// Runs every scenario of tests/conformance/scenarios/ against the Node package and the sandbox.
// The format is tests/conformance/README.md; core/tests/conformance.rs is the reference runner.
// Scenarios speak the snake_case JSON every language shares, so this runner converts: arguments
// to the camelCase objects the JS API takes, results and errors back to snake_case for matching.
// One node:test test per scenario.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const { Client, CinetPayError, parseNotification } = require('cinetpay-transfer')
const { Sandbox } = require('cinetpay-transfer/testing')

const SCENARIOS =
  process.env.CINETPAY_CONFORMANCE_DIR ?? path.resolve(__dirname, '../../tests/conformance/scenarios')

const files = fs
  .readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.json'))
  .sort()

test('the conformance suite is there', () => {
  assert.ok(files.length >= 30, `at least 30 scenarios in ${SCENARIOS}, found ${files.length}`)
})

for (const file of files) {
  const scenario = JSON.parse(fs.readFileSync(path.join(SCENARIOS, file), 'utf8'))
  test(`conformance: ${scenario.name ?? file}`, async () => {
    await runScenario(scenario)
  })
}

async function runScenario(scenario) {
  const sandbox = await Sandbox.start(sandboxOptions(scenario.sandbox ?? {}))
  try {
    const client = new Client(clientOptions(scenario.client ?? {}, sandbox.baseUrl))
    const saved = {}
    for (const [n, rawStep] of (scenario.steps ?? []).entries()) {
      const step = substitute(rawStep, saved, null)
      // `repeat`: N runs at once, each with `${i}` replaced and checked against its own expectation.
      const runs = Array.from({ length: step.repeat ?? 1 }, (_, i) => substitute(step, {}, i))
      const outcomes = await Promise.all(runs.map((run) => runStep(run, client, sandbox)))
      for (const [i, outcome] of outcomes.entries()) {
        const failure = check(runs[i], outcome)
        if (failure) assert.fail(`step ${n} (${step.call ?? step.admin}): ${failure}`)
      }
      if (step.save && outcomes[0]?.ok !== undefined) {
        for (const [name, at] of Object.entries(step.save)) {
          const value = lookup(outcomes[0].ok, at)
          if (value === undefined) assert.fail(`step ${n}: nothing at ${at} to save`)
          saved[name] = value
        }
      }
    }
  } finally {
    await sandbox.close()
  }
}

function sandboxOptions(section) {
  const options = {}
  if (section.quirks) options.quirks = section.quirks
  if (section.token_lifetime_seconds !== undefined) options.tokenLifetime = section.token_lifetime_seconds
  return options
}

function clientOptions(section, baseUrl) {
  const retry = section.retry ?? {}
  const options = {
    apiKey: section.api_key ?? 'sandbox-api-key',
    password: section.password ?? 'sandbox-password',
    baseUrl,
    lang: section.lang === 'fr' ? 'fr' : 'en',
    maxAttempts: retry.max_attempts ?? 3,
    initialBackoffMs: retry.initial_backoff_ms ?? 10,
    maxBackoffMs: retry.max_backoff_ms ?? 50,
    requestTimeoutMs: section.request_timeout_ms ?? 2000,
    processingWindowMs: section.processing_window_ms ?? 2500,
  }
  if (section.chunk_size !== undefined) options.chunkSize = section.chunk_size
  if (section.max_concurrency !== undefined) options.maxConcurrency = section.max_concurrency
  return options
}

/** `{ ok: value }` or `{ error: value }`, both in the scenarios' snake_case JSON. */
async function runStep(step, client, sandbox) {
  try {
    if (step.admin) return await runAdmin(step.admin, step.body, sandbox)
    return { ok: snake(await call(step.call, step.args ?? {}, client)) }
  } catch (error) {
    return { error: errorJson(error) }
  }
}

/** A scenario's form fields as a body parser decodes them (every value a string). */
function formFields(fields) {
  return Object.fromEntries(
    Object.entries(fields ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  )
}

async function call(name, args, client) {
  switch (name) {
    case 'balance':
      return client.balance()
    case 'add_contacts':
      return client.addContacts(args.contacts.map(camelKeys))
    case 'send':
      return client.send(args.transfers.map(camelKeys))
    case 'pay':
      return client.pay(args.transfers.map(camelKeys))
    case 'transfer_status':
      return client.transferStatus(camelKeys(args))
    case 'parse_notification': {
      const event = parseNotification(args.body ?? '', args.method ?? 'POST')
      return event.type === 'ping' ? 'ping' : event
    }
    case 'confirm_notification': {
      const event = parseNotification(formFields(args.fields))
      return event.type === 'ping' ? 'ping' : client.confirmNotification(event)
    }
    case 'notification_reply':
      return client.replyToNotification(args.method ?? 'POST', formFields(args.fields))
    default:
      throw new Error(`unknown call ${name}`)
  }
}

async function runAdmin(request, body, sandbox) {
  const [method, route] = request.includes(' ') ? request.split(' ', 2) : ['GET', request]
  const init = { method }
  if (method === 'POST') {
    init.headers = { 'content-type': 'application/json' }
    init.body = JSON.stringify(body ?? {})
  }
  const response = await fetch(sandbox.adminUrl + route, init)
  const text = await response.text()
  const value = text ? JSON.parse(text) : null
  if (response.ok) return { ok: value }
  return { error: { kind: 'admin', http_status: response.status, detail: value } }
}

function errorJson(error) {
  if (!(error instanceof CinetPayError)) return { kind: 'runner', detail: String(error?.stack ?? error) }
  return {
    kind: error.kind,
    code: error.code,
    api_message: error.apiMessage,
    description: error.description,
    http_status: error.httpStatus,
    field: error.field === null ? null : snakeName(error.field),
    index: error.index,
    client_transaction_ids: error.clientTransactionIds,
    detail: error.message,
  }
}

const snakeName = (key) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
const camelName = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
const camelKeys = (object) => Object.fromEntries(Object.entries(object).map(([k, v]) => [camelName(k), v]))

/** JS results -> the scenarios' JSON: snake_case keys, without item errors' deprecated `apiCode`. */
function snake(value, key) {
  if (Array.isArray(value)) return value.map((v) => snake(v))
  if (value === null || typeof value !== 'object') return value
  const isItemError = key === 'error'
  const out = {}
  for (const [k, v] of Object.entries(value)) {
    if (isItemError && k === 'apiCode') continue
    const name = key === 'countries' ? k : snakeName(k)
    out[name] = isItemError && k === 'field' && typeof v === 'string' ? snakeName(v) : snake(v, name)
  }
  return out
}

function check(step, outcome) {
  const expect = step.expect ?? {}
  if ('ok' in outcome && expect.error === undefined) {
    return expect.ok === undefined ? null : matches(expect.ok, outcome.ok, 'result')
  }
  if ('error' in outcome && expect.error !== undefined) return matches(expect.error, outcome.error, 'error')
  if ('ok' in outcome) return `expected an error, got ${JSON.stringify(outcome.ok)}`
  return `unexpected error ${JSON.stringify(outcome.error)}`
}

/** Partial match with `$len` and `$each` (see the README); a missing key reads as null. */
function matches(pattern, actual, at) {
  if (actual === undefined) actual = null
  if (pattern !== null && typeof pattern === 'object' && !Array.isArray(pattern)) {
    if ('$len' in pattern || '$each' in pattern) {
      if (!Array.isArray(actual)) return `${at}: expected a list, got ${JSON.stringify(actual)}`
      if ('$len' in pattern && actual.length !== pattern.$len) {
        return `${at}: expected ${pattern.$len} items, got ${actual.length}: ${JSON.stringify(actual)}`
      }
      if ('$each' in pattern) {
        for (const [i, item] of actual.entries()) {
          const failure = matches(pattern.$each, item, `${at}[${i}]`)
          if (failure) return failure
        }
      }
      return null
    }
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${at}: expected an object, got ${JSON.stringify(actual)}`
    }
    for (const [k, v] of Object.entries(pattern)) {
      const failure = matches(v, actual[k], `${at}.${k}`)
      if (failure) return failure
    }
    return null
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return `${at}: expected a list, got ${JSON.stringify(actual)}`
    if (actual.length !== pattern.length) {
      return `${at}: expected ${pattern.length} items, got ${actual.length}: ${JSON.stringify(actual)}`
    }
    for (const [i, p] of pattern.entries()) {
      const failure = matches(p, actual[i], `${at}[${i}]`)
      if (failure) return failure
    }
    return null
  }
  return pattern === actual ? null : `${at}: expected ${JSON.stringify(pattern)}, got ${JSON.stringify(actual)}`
}

function lookup(value, at) {
  return at
    .split('.')
    .filter(Boolean)
    .reduce((v, key) => (v === undefined || v === null ? undefined : v[/^\d+$/.test(key) ? Number(key) : key]), value)
}

/** `${name}` -> saved values (a string that is exactly `${name}` becomes the value); `${i}` -> index. */
function substitute(value, saved, index) {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(value)
    if (whole && whole[1] in saved) return saved[whole[1]]
    let out = value
    for (const [name, v] of Object.entries(saved)) {
      out = out.split('${' + name + '}').join(typeof v === 'string' ? v : JSON.stringify(v))
    }
    if (index !== null) out = out.split('${i}').join(String(index))
    return out
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, saved, index))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, saved, index)]))
  }
  return value
}
