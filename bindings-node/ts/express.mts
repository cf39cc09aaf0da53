// ESM entry of `cinetpay-transfer/express`: the CommonJS module's own functions.
import cjs from './express.js'

export * from './express.js'
export default cjs
