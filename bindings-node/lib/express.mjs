import cjs from './express.js'

export const { notificationHandler } = cjs
export default cjs
