// The bulk calls' JS side: the caller's list read a range at a time by the native call, and each
// chunk's results stored by position as it settles (src/lists.rs says why and how). Internal: not
// exported by the package.

import { fromNative } from './addon.js'
import { CinetPayError } from './errors.js'
import type { Contact, ListCallback, Transfer } from '../native/index.js'

/** A payout as the JSON row src/lists.rs reads (`TransferRow`, same order). */
export const transferRow = (t: Transfer): unknown[] => [
  t.prefix, t.phone, t.amount, t.notifyUrl, t.clientTransactionId, t.paymentMethod, t.name, t.surname, t.email,
]

/** A contact as the JSON row src/lists.rs reads (`ContactRow`, same order). */
export const contactRow = (c: Contact): unknown[] => [c.prefix, c.phone, c.name, c.surname, c.email]

/** The native side of one bulk call: `length` items, read and given their results through `list`. */
type Run = (length: number, list: ListCallback) => Promise<void>

/**
 * One bulk call over `items`: `row` writes an item as its JSON row (property reads and
 * `JSON.stringify`, both native speed in V8); `exact` is napi's own conversion of items (what a
 * list always threw, it throws), used for a range whose rows the native side cannot read.
 * Resolves with the results in input order, each set once when its chunk settles.
 */
export async function bulk<T, R>(
  items: T[],
  row: (item: T) => unknown[],
  exact: (items: T[], first: number) => string,
  run: Run,
): Promise<R[]> {
  if (!Array.isArray(items)) exact(items, 0) // not a list: throws as it always did
  const results: R[] = new Array(items.length)
  let missing = items.length
  let allDelivered = (): void => {}
  const delivered = new Promise<void>((resolve) => (allDelivered = resolve))
  // The error of the exact reading of the range starting at `start`: the call's error, if the
  // native call fails there (it fails before any request).
  let unreadable: { start: number; error: unknown } | undefined

  const read = (start: number, end: number, exactly: boolean): string | null => {
    const slice = items.slice(start, end)
    if (!exactly) {
      try {
        return JSON.stringify(slice.map(row))
      } catch {
        // An item that is not an object, say: the exact reading says what is wrong.
      }
    }
    try {
      return exact(slice, start)
    } catch (error) {
      unreadable = { start, error }
      return null
    }
  }
  const store = (first: number, json: string): null => {
    const chunk = JSON.parse(json) as R[]
    for (let k = 0; k < chunk.length; k++) results[first + k] = chunk[k]
    missing -= chunk.length
    if (missing === 0) allDelivered()
    return null
  }
  const list: ListCallback = (start, end, exactly, chunk) =>
    chunk === null ? read(start, end, exactly) : store(start, chunk)

  try {
    await run(items.length, list)
  } catch (error) {
    const converted = fromNative(error)
    if (unreadable && converted instanceof CinetPayError && converted.index === unreadable.start) {
      throw fromNative(unreadable.error)
    }
    throw converted
  }
  // The last chunks' results may still be queued for this thread when the call settles.
  if (missing > 0) await delivered
  return results
}
