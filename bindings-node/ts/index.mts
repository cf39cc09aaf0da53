// ESM entry: the CommonJS entry's own objects (one addon instance, one set of classes), so that
// `import` and `require` give the same API; and, for TypeScript under node16/nodenext, ESM types.
import cjs from './index.js'

export * from './index.js'
export default cjs
