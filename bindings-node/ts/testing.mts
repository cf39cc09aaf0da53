// ESM entry of `cinetpay-transfer/testing`: the CommonJS module's own classes.
import cjs from './testing.js'

export * from './testing.js'
export default cjs
