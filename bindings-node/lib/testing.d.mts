// ESM types of lib/testing.mjs: the declarations of the CommonJS entry (testing.d.ts), seen as an ES module,
// so that TypeScript under node16/nodenext resolves an `import` to ESM types (publint, attw).
export * from './testing.js'
import * as cjs from './testing.js'
export default cjs
