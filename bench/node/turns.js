'use strict'
// Two builds of the Node binding and the Rust core taking turns on one sandbox (issue 13, item 4),
// the Node twin of bench/python/turns.py: for a before/after of a change to the binding, each
// round runs `clients.js binding` with the package at --before, then at --after, then
// `cinetpay-bench core`, each on a reset sandbox (the release one from --bin), so that the three
// share the machine's load of that moment. Prints one JSON line per run (clients.js's figures,
// the run's name, N, round and load average), then per N the medians: wall, CPU, peak RSS, each
// call's transient memory, and the rate against the core's (core wall over the binding's wall,
// paired by round).
//
//   node bench/node/turns.js --before DIR --after DIR [--bin target/release] 25000x1 100000x5
//
// DIR: a directory holding the package as `require` loads it (package.json, lib/, native/ with
// the release addon: `npm run build:release`, then a copy of those three).

const { spawn, spawnSync } = require('node:child_process')
const { loadavg } = require('node:os')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..', '..')

function options(argv) {
  const opts = { bin: path.join(ROOT, 'target/release'), plan: [] }
  for (let i = 0; i < argv.length; i++) {
    if (['--before', '--after', '--bin'].includes(argv[i])) opts[argv[i].slice(2)] = path.resolve(argv[++i])
    else opts.plan.push(argv[i])
  }
  if (!opts.before || !opts.after || !opts.plan.length) {
    console.error('usage: node bench/node/turns.js --before DIR --after DIR [--bin DIR] NxROUNDS...')
    process.exit(2)
  }
  return opts
}

/** The release sandbox on a free port; resolves with its base URL once it answers. */
async function sandbox(bin) {
  const proc = spawn(path.join(bin, 'cinetpay-sandbox'),
    ['--addr=127.0.0.1:0', '--balance', '1000000000000000', '--exit-with-stdin'],
    { stdio: ['pipe', 'pipe', 'inherit'] })
  const url = await new Promise((resolve, reject) => {
    let out = ''
    proc.stdout.on('data', (d) => {
      out += d
      if (out.includes('\n')) resolve(out.split('\n')[0].trim())
    })
    proc.on('exit', (code) => reject(new Error(`the sandbox exited: ${code}`)))
  })
  const admin = url.replace(/\/v1\/?$/, '') + '/_sandbox'
  return {
    url,
    reset: async () => {
      const answer = await fetch(`${admin}/reset`, { method: 'POST', body: '{}' })
      if (!(await answer.json()).ok) throw new Error('the sandbox did not reset')
    },
    stop: () => proc.stdin.end(),
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

async function main() {
  const opts = options(process.argv.slice(2))
  const clients = path.join(__dirname, 'clients.js')
  const commands = {
    before: [process.execPath, [clients, 'binding'], { CINETPAY_NODE_PACKAGE: opts.before }],
    after: [process.execPath, [clients, 'binding'], { CINETPAY_NODE_PACKAGE: opts.after }],
    core: [path.join(opts.bin, 'cinetpay-bench'), ['core'], {}],
  }
  const server = await sandbox(opts.bin)
  const runs = []
  try {
    for (const step of opts.plan) {
      const [n, rounds] = step.split('x').map(Number)
      for (let round = 0; round < rounds; round++) {
        for (const [name, [command, args, env]] of Object.entries(commands)) {
          await server.reset()
          const label = `turns-${n}-${round}-${name}`
          const done = spawnSync(command, [...args, server.url, String(n), label, '50', '4'],
            { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 })
          if (done.status !== 0) throw new Error(`${label}: exit ${done.status}: ${done.stderr.slice(-2000)}`)
          const result = JSON.parse(done.stdout.trim().split('\n').pop())
          if (result.accepted !== n) throw new Error(`${label}: ${result.accepted} of ${n} accepted`)
          Object.assign(result, { name, n, round, load: loadavg()[0] })
          runs.push(result)
          console.log(JSON.stringify(result))
        }
      }
    }
  } finally {
    server.stop()
  }
  for (const n of [...new Set(runs.map((r) => r.n))].sort((a, b) => a - b)) {
    const of = Object.fromEntries(Object.keys(commands).map((name) => [name, runs.filter((r) => r.n === n && r.name === name)]))
    for (const [name, mine] of Object.entries(of)) {
      const line = { n, name, runs: mine.length }
      for (const key of ['wall_s', 'cpu_s', 'peak_rss_mb', 'contacts_transient_mb', 'send_transient_mb']) {
        if (mine.every((r) => typeof r[key] === 'number')) line[key] = median(mine.map((r) => r[key]))
      }
      if (name !== 'core') line.rate_vs_core = median(mine.map((r, i) => of.core[i].wall_s / r.wall_s))
      console.log(JSON.stringify(line))
    }
  }
}

main().catch((error) => { console.error(error); process.exit(1) })
