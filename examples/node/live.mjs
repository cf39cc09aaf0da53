// The one rule of these examples, in one place: they pay on the in-process sandbox unless the
// command line says `--live` AND names the payee and the amount. Credentials in the shell are not
// enough: without `--live` they are never read.
//
//   node payout.mjs                                  sandbox, a demo payee (no money moves)
//   node payout.mjs --live PHONE AMOUNT              live: shows the payout and the balance, asks
//   node payout.mjs --live --yes PHONE AMOUNT        live without a terminal (scripts, CI)
//
// Live runs read CINETPAY_API_KEY and CINETPAY_API_PASSWORD, and CINETPAY_BASE_URL when it is set
// (default: production); the tests point it at a local server. Nothing here reads it without --live.
import { createInterface } from 'node:readline'

export const PRODUCTION_BASE_URL = 'https://client.cinetpay.com/v1'

const USAGE =
  'usage: node payout.mjs [--live [--yes] PHONE AMOUNT]   (PHONE with its country code: +225..., AMOUNT in whole XOF)'

function refuse(message) {
  console.error(`${message}\n${USAGE}\nNothing was sent.`)
  process.exit(2)
}

/** Reads the command line; exits with code 2, before any request, when a live run is not fully asked for. */
export function liveArgs(argv = process.argv.slice(2)) {
  const flags = argv.filter((a) => a.startsWith('--'))
  const words = argv.filter((a) => !a.startsWith('--'))
  const unknown = flags.find((f) => f !== '--live' && f !== '--yes')
  if (unknown) refuse(`unknown option ${unknown}`)
  if (!flags.includes('--live')) {
    if (words.length > 0 || flags.includes('--yes')) {
      refuse('a payee, an amount and --yes only mean something with --live')
    }
    return null // the sandbox
  }
  if (words.length !== 2) refuse('--live needs the payee and the amount on the command line')
  const phone = words[0].replace(/[\s.-]/g, '')
  if (!/^\+\d{3}\d{6,12}$/.test(phone)) {
    refuse(`the payee must be a full number with its country code (+225...), not ${JSON.stringify(words[0])}`)
  }
  if (!/^[1-9]\d*$/.test(words[1])) refuse(`the amount must be whole XOF, not ${JSON.stringify(words[1])}`)
  const { CINETPAY_API_KEY: apiKey, CINETPAY_API_PASSWORD: password } = process.env
  if (!apiKey || !password) refuse('--live needs CINETPAY_API_KEY and CINETPAY_API_PASSWORD in the environment')
  const yes = flags.includes('--yes')
  if (!yes && !process.stdin.isTTY) refuse('--live asks for confirmation on a terminal; without one, add --yes')
  const baseUrl = process.env.CINETPAY_BASE_URL || PRODUCTION_BASE_URL
  return { phone, amount: Number(words[1]), yes, clientOptions: { apiKey, password, baseUrl } }
}

/** `+2250701020304` -> `+225 07******04` (every CinetPay country code has 3 digits). */
export function maskPhone(phone) {
  const national = phone.slice(4)
  return `+${phone.slice(1, 4)} ${national.slice(0, 2)}${'*'.repeat(national.length - 4)}${national.slice(-2)}`
}

/** Shows what a live run is about to pay; true when the user typed "yes" (or gave --yes). */
export async function confirmLive({ phone, amount, yes, clientOptions }, available) {
  console.log(`LIVE on ${clientOptions.baseUrl}: REAL MONEY`)
  console.log(`about to pay ${amount} XOF to ${maskPhone(phone)} (available: ${available} XOF)`)
  if (yes) return true
  const answer = await new Promise((resolve) => {
    const prompt = createInterface({ input: process.stdin, output: process.stdout })
    prompt.on('SIGINT', () => prompt.close()) // Ctrl-C stops, like Ctrl-D
    prompt.on('close', () => resolve(''))
    prompt.question('Type yes to pay, anything else to stop: ', (text) => {
      resolve(text)
      prompt.close()
    })
  })
  return answer.trim() === 'yes'
}
