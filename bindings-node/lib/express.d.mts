// ESM types of lib/express.mjs: the declarations of the CommonJS entry (express.d.ts), seen as an ES module,
// so that TypeScript under node16/nodenext resolves an `import` to ESM types (publint, attw).
export * from './express.js'
import * as cjs from './express.js'
export default cjs
