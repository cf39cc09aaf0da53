#!/usr/bin/env node
'use strict'
// `npx cinetpay-sandbox ...`: runs this platform's binary with the same arguments and standard
// streams, and exits as it did. The test helpers run `binaryPath` directly, not this.

const { spawnSync } = require('node:child_process')
const { binaryPath } = require('./index.js')

const run = spawnSync(binaryPath, process.argv.slice(2), { stdio: 'inherit' })
if (run.error) throw run.error
if (run.signal) process.kill(process.pid, run.signal)
process.exit(run.status ?? 1)
