'use strict'
// The package's public names against the core's (ADR 6: one vocabulary, camelCase in JavaScript).
//
// The core's surface (records and their fields, client methods, client options) comes from the
// core's own source, read by the workspace tool `cinetpay-surface` (tools/surface). A field, method
// or option added to the core and not exposed here fails with its name. The typings are read with
// the TypeScript compiler API, as a user's editor reads them. A name JavaScript deliberately spells
// or shapes otherwise is in SURFACE_EXCEPTIONS with its reason; a stale exception fails too.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const ts = require('typescript')

const sdk = require('cinetpay-transfer')

// "kind core_name": [the JavaScript names it is exposed under (space-separated), or null; why].
const SURFACE_EXCEPTIONS = {
  'record Config': [null, "the client's settings are the ClientOptions object, the builder's options checked here"],
  'record RetryPolicy': [null, 'its fields are the options maxAttempts, initialBackoffMs, maxBackoffMs'],
  'record StoredToken': [null, "the Rust TokenStore trait's value; Node picks a store by URL (tokenStore)"],
  'method config': [null, 'Rust-only: the settings are the ClientOptions object'],
  'method reconnected': [null, 'Rust-only: for a process that forked; Node does not fork a running client'],
  'method issue_token_after': ['issueToken', 'issueToken({ previous }): one method, the token as an option'],
  'method send_observed': [null, "Rust-only: a per-item progress callback for the CLI's progress bar"],
  'method pay_observed': [null, "Rust-only: a per-item progress callback for the CLI's progress bar"],
  'option credentials': ['apiKey password', 'the apiKey and password fields of the options object'],
  'option token_provider': [null, 'a Rust TokenProvider object; a Node backend logs in with its credentials'],
  'option token_store_url': ['tokenStore', "tokenStore takes the shared store's URL (redis://...)"],
  'option retry': ['maxAttempts initialBackoffMs maxBackoffMs', "the RetryPolicy's fields as options"],
  'option config': [null, 'Rust-only: a whole Config; the bindings take its options one by one'],
}
const HINT = 'expose it or list it in SURFACE_EXCEPTIONS (tests/surface.test.js) with a reason'

const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

// The repository holding the core: this file is copied into a temporary project by test.sh, which
// points CINETPAY_CONFORMANCE_DIR at <root>/tests/conformance/scenarios; run in place, it is ../..
function repoRoot() {
  const candidates = [
    process.env.CINETPAY_REPO_ROOT,
    process.env.CINETPAY_CONFORMANCE_DIR && path.resolve(process.env.CINETPAY_CONFORMANCE_DIR, '../../..'),
    path.resolve(__dirname, '../..'),
  ].filter(Boolean)
  const root = candidates.find((dir) => fs.existsSync(path.join(dir, 'tools/surface/Cargo.toml')))
  assert.ok(root, `no repository with tools/surface found (tried ${candidates.join(', ')}): set CINETPAY_REPO_ROOT`)
  return root
}

function coreSurface() {
  const root = repoRoot()
  const run = spawnSync('cargo', ['run', '-q', '-p', 'cinetpay-surface'], { cwd: root, encoding: 'utf8' })
  assert.ok(!run.error, `cannot run cargo (the surface check needs it): ${run.error}`)
  assert.equal(run.status, 0, `\`cargo run -p cinetpay-surface\` failed in ${root}:\n${run.stderr}`)
  const surface = JSON.parse(run.stdout)
  // An empty or truncated surface would pass every check below: refuse it.
  assert.ok(Object.keys(surface.records).length >= 10, JSON.stringify(surface.records))
  assert.ok(surface.client_methods.length >= 8, JSON.stringify(surface.client_methods))
  assert.ok(surface.client_options.length >= 8, JSON.stringify(surface.client_options))
  return surface
}

// The installed package's typings: the public entry point and the generated data types it re-exports.
const packageDir = path.dirname(require.resolve('cinetpay-transfer/package.json'))
const parse = (file) =>
  ts.createSourceFile(file, fs.readFileSync(path.join(packageDir, file), 'utf8'), ts.ScriptTarget.Latest, true)
const publicDts = parse('lib/index.d.ts')
const nativeDts = parse('native/index.d.ts')

// Names exported by a declaration file, and the member names of each declared interface or class.
function declarations(source) {
  const exported = new Set()
  const members = new Map()
  for (const node of source.statements) {
    const isExported = node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) {
      node.exportClause.elements.forEach((e) => exported.add(e.name.text))
    } else if (ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) {
      if (isExported) exported.add(node.name.text)
      members.set(node.name.text, new Set(node.members.filter((m) => m.name).map((m) => m.name.text)))
    } else if (ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type)) {
      if (isExported) exported.add(node.name.text)
      members.set(node.name.text, new Set(node.type.members.filter((m) => m.name).map((m) => m.name.text)))
    }
  }
  return { exported, members }
}
const pub = declarations(publicDts)
const gen = declarations(nativeDts)
const membersOf = (name) => pub.members.get(name) ?? gen.members.get(name)

// Checks one core name (`key` is "kind name"): present under its camelCase name (plus `suffix`), or
// as its exception says. `missing(jsName)` is the failure message.
function exposed(key, present, problems, missing, suffix = '') {
  const name = camel(key.split(' ')[1].split('.').pop()) + suffix
  const exception = SURFACE_EXCEPTIONS[key]
  if (exception) {
    const [others, reason] = exception
    if (present(name)) problems.push(`${key} is exposed under its own name now: remove its SURFACE_EXCEPTIONS entry`)
    for (const other of (others ?? '').split(' ').filter(Boolean)) {
      if (!present(other)) {
        problems.push(`SURFACE_EXCEPTIONS says ${key} is exposed as \`${other}\` (${reason}): ${missing(other)}`)
      }
    }
  } else if (!present(name)) {
    problems.push(`${missing(name)}; ${HINT}`)
  }
}

let core
test.before(() => {
  core = coreSurface()
})

test('the surface exceptions name what the core has', () => {
  const names = {
    record: new Set(Object.keys(core.records)),
    field: new Set(Object.entries(core.records).flatMap(([r, fields]) => fields.map((f) => `${r}.${f}`))),
    method: new Set(core.client_methods.map((m) => m.name)),
    option: new Set(core.client_options.map((o) => o.name)),
  }
  const stale = Object.keys(SURFACE_EXCEPTIONS).filter((k) => !names[k.split(' ')[0]]?.has(k.split(' ')[1]))
  assert.deepEqual(stale, [], 'SURFACE_EXCEPTIONS names what the core no longer has')
})

test('every core record and field is exported and typed under its camelCase name', () => {
  const problems = []
  for (const [record, fields] of Object.entries(core.records)) {
    exposed(`record ${record}`, (n) => pub.exported.has(n) && membersOf(n) !== undefined, problems,
      (n) => `core record ${record} is not exported by lib/index.d.ts as a declared type ${n}`)
    const own = membersOf(record)
    if (!own || SURFACE_EXCEPTIONS[`record ${record}`]) continue
    for (const field of fields) {
      exposed(`field ${record}.${field}`, (n) => own.has(n), problems,
        (n) => `core record ${record} has field \`${field}\` but the type ${record} has no property ${n}`)
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'))
})

test('every core client method exists at run time and in the typings', () => {
  const declared = pub.members.get('Client')
  assert.ok(declared, 'lib/index.d.ts declares no class Client')
  const problems = []
  for (const { name } of core.client_methods) {
    exposed(`method ${name}`, (n) => typeof sdk.Client.prototype[n] === 'function', problems,
      (n) => `core Client has method \`${name}\` but Client.prototype has no function ${n}`)
    exposed(`method ${name}`, (n) => declared.has(n), problems,
      (n) => `core Client has method \`${name}\` but lib/index.d.ts declares no Client.${n}`)
  }
  assert.deepEqual(problems, [], problems.join('\n'))
})

test('every core client option is a property of ClientOptions (durations in milliseconds: Ms)', () => {
  const options = membersOf('ClientOptions')
  assert.ok(options && pub.exported.has('ClientOptions'), 'ClientOptions is not an exported type')
  const problems = []
  for (const { name, duration } of core.client_options) {
    exposed(`option ${name}`, (n) => options.has(n), problems,
      (n) => `core ClientBuilder has option \`${name}\` but ClientOptions has no property ${n}`, duration ? 'Ms' : '')
  }
  assert.deepEqual(problems, [], problems.join('\n'))
})
