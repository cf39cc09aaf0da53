import cjs from './express.js'

export const { notificationHandler, tokenHandler } = cjs
export default cjs
