import cjs from './testing.js'

export const { Sandbox, SandboxAdminError, SandboxNotFoundError, sandboxBinary, DEFAULT_API_KEY, DEFAULT_PASSWORD } = cjs
export default cjs
