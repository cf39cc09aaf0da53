// ESM types of lib/index.mjs: the declarations of the CommonJS entry (index.d.ts), seen as an ES module,
// so that TypeScript under node16/nodenext resolves an `import` to ESM types (publint, attw).
export * from './index.js'
import * as cjs from './index.js'
export default cjs
