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
//
// The examples speak the language of the locale: French when LC_ALL, LC_MESSAGES or LANG says fr_*
// (`LANG=fr_CI.UTF-8 node payout.mjs`), English otherwise; their client is built with that `lang`,
// so its errors follow too.
import { createInterface } from 'node:readline'

export const PRODUCTION_BASE_URL = 'https://client.cinetpay.com/v1'

const locale = ['LC_ALL', 'LC_MESSAGES', 'LANG'].map((name) => process.env[name]).find((value) => value) ?? ''
/** 'en' or 'fr': the examples' language, and their client's. */
export const LANG = locale.toLowerCase().startsWith('fr') ? 'fr' : 'en'

/** The English or the French text, in the examples' language. */
export const say = (en, fr) => (LANG === 'fr' ? fr : en)

/** `1000000` as `1000000 XOF` in English and `1 000 000 XOF` (narrow no-break spaces) in French. */
export const xof = (amount) =>
  `${LANG === 'fr' ? String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f') : amount} XOF`

function refuse(message) {
  const usage = say(
    'usage: node payout.mjs [--live [--yes] PHONE AMOUNT]   (PHONE with its country code: +225..., AMOUNT in whole XOF)',
    'utilisation : node payout.mjs [--live [--yes] NUMÉRO MONTANT]   (NUMÉRO avec son indicatif pays : +225..., MONTANT en XOF entiers)',
  )
  console.error(`${message}\n${usage}\n${say('Nothing was sent.', 'Rien n’a été envoyé.')}`)
  process.exit(2)
}

/** Reads the command line; exits with code 2, before any request, when a live run is not fully asked for. */
export function liveArgs(argv = process.argv.slice(2)) {
  const flags = argv.filter((a) => a.startsWith('--'))
  const words = argv.filter((a) => !a.startsWith('--'))
  const unknown = flags.find((f) => f !== '--live' && f !== '--yes')
  if (unknown) refuse(say(`unknown option ${unknown}`, `option inconnue ${unknown}`))
  if (!flags.includes('--live')) {
    if (words.length > 0 || flags.includes('--yes')) {
      refuse(
        say(
          'a payee, an amount and --yes only mean something with --live',
          'un bénéficiaire, un montant et --yes n’ont de sens qu’avec --live',
        ),
      )
    }
    return null // the sandbox
  }
  if (words.length !== 2) {
    refuse(
      say(
        '--live needs the payee and the amount on the command line',
        '--live demande le bénéficiaire et le montant sur la ligne de commande',
      ),
    )
  }
  const phone = words[0].replace(/[\s.-]/g, '')
  if (!/^\+\d{3}\d{6,12}$/.test(phone)) {
    const typed = JSON.stringify(words[0])
    refuse(
      say(
        `the payee must be a full number with its country code (+225...), not ${typed}`,
        `le bénéficiaire doit être un numéro complet avec son indicatif pays (+225...), pas ${typed}`,
      ),
    )
  }
  if (!/^[1-9]\d*$/.test(words[1])) {
    const typed = JSON.stringify(words[1])
    refuse(say(`the amount must be whole XOF, not ${typed}`, `le montant doit être en XOF entiers, pas ${typed}`))
  }
  const { CINETPAY_API_KEY: apiKey, CINETPAY_API_PASSWORD: password } = process.env
  if (!apiKey || !password) {
    refuse(
      say(
        '--live needs CINETPAY_API_KEY and CINETPAY_API_PASSWORD in the environment',
        '--live demande CINETPAY_API_KEY et CINETPAY_API_PASSWORD dans l’environnement',
      ),
    )
  }
  const yes = flags.includes('--yes')
  if (!yes && !process.stdin.isTTY) {
    refuse(
      say(
        '--live asks for confirmation on a terminal; without one, add --yes',
        '--live demande confirmation sur un terminal ; sans terminal, ajoutez --yes',
      ),
    )
  }
  const baseUrl = process.env.CINETPAY_BASE_URL || PRODUCTION_BASE_URL
  return { phone, amount: Number(words[1]), yes, clientOptions: { apiKey, password, baseUrl, lang: LANG } }
}

/** `+2250701020304` -> `+225 07******04` (every CinetPay country code has 3 digits). */
export function maskPhone(phone) {
  const national = phone.slice(4)
  return `+${phone.slice(1, 4)} ${national.slice(0, 2)}${'*'.repeat(national.length - 4)}${national.slice(-2)}`
}

/** Shows what a live run is about to pay; true when the user typed "yes" or "oui" (or gave --yes). */
export async function confirmLive({ phone, amount, yes, clientOptions }, available) {
  const url = clientOptions.baseUrl
  console.log(say(`LIVE on ${url}: REAL MONEY`, `EN DIRECT sur ${url} : ARGENT RÉEL`))
  const [payee, sum, left] = [maskPhone(phone), xof(amount), xof(available)]
  console.log(
    say(
      `about to pay ${sum} to ${payee} (available: ${left})`,
      `paiement imminent de ${sum} au ${payee} (disponible : ${left})`,
    ),
  )
  if (yes) return true
  const answer = await new Promise((resolve) => {
    const prompt = createInterface({ input: process.stdin, output: process.stdout })
    prompt.on('SIGINT', () => prompt.close()) // Ctrl-C stops, like Ctrl-D
    prompt.on('close', () => resolve(''))
    const question = say('Type yes to pay, anything else to stop: ', 'Tapez oui pour payer, autre chose pour arrêter : ')
    prompt.question(question, (text) => {
      resolve(text)
      prompt.close()
    })
  })
  return ['yes', 'oui'].includes(answer.trim())
}
