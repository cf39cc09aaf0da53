import cjs from './testing.js'

export const { Sandbox, SandboxAdminError, DEFAULT_API_KEY, DEFAULT_PASSWORD } = cjs
export default cjs
