// The bulk calls' JS side: the caller's list read a range at a time by the native call, and each
// chunk's results stored by position as it settles (src/lists.rs says why and how). Internal: not
// exported by the package.

import { fromNative } from './addon.js'
import { CinetPayError } from './errors.js'
import type { Contact, ContactResult, ListCallback, SendResult, Transfer } from '../native/index.js'

/** Appends a payout's fields to a range's flat row array, as src/lists.rs reads them (`TransferRow`, same order). */
export const transferRow = (t: Transfer, values: unknown[]): void => {
  values.push(t.prefix, t.phone, t.amount, t.notifyUrl, t.clientTransactionId, t.paymentMethod, t.name, t.surname, t.email)
}

/** Appends a contact's fields to a range's flat row array (`ContactRow` in src/lists.rs, same order). */
export const contactRow = (c: Contact, values: unknown[]): void => {
  values.push(c.prefix, c.phone, c.name, c.surname, c.email)
}

/**
 * How a chunk's results arrive: one flat JSON array of the values of each result's fields, result
 * after result (`Fields` in src/lists.rs, same order); `build(values, j)` makes the result whose
 * fields start at `values[j]`, the same plain object (keys, their order, `null`s) as napi's.
 */
export interface Results<R> {
  width: number
  build: (values: any[], j: number) => R
}

/** `SendResult` from its fields (`impl Fields for SendResult` in src/lists.rs). */
export const sendResults: Results<SendResult> = {
  width: 9,
  build: (v, j) => ({
    clientTransactionId: v[j], prefix: v[j + 1], phone: v[j + 2], amount: v[j + 3], outcome: v[j + 4],
    transactionId: v[j + 5], lot: v[j + 6], treatmentStatus: v[j + 7], error: v[j + 8],
  }),
}

/** `ContactResult` from its fields (`impl Fields for ContactResult` in src/lists.rs). */
export const contactResults: Results<ContactResult> = {
  width: 7,
  build: (v, j) => ({
    prefix: v[j], phone: v[j + 1], added: v[j + 2], alreadyExisted: v[j + 3], code: v[j + 4], lot: v[j + 5],
    error: v[j + 6],
  }),
}

/** The native side of one bulk call: `length` items, read and given their results through `list`. */
type Run = (length: number, list: ListCallback) => Promise<void>

/**
 * One bulk call over `items`: `row` appends an item's fields to its range's flat array, written
 * as JSON (property reads and `JSON.stringify`, both native speed in V8; one array per range,
 * built by `push`, is the cheapest to write); `exact` is napi's own conversion of items (what a
 * list always threw, it throws), used for a range whose rows the native side cannot read;
 * `built` makes the results of a chunk. Resolves with the results in input order, each set once
 * when its chunk settles.
 */
export async function bulk<T, R>(
  items: T[],
  row: (item: T, values: unknown[]) => void,
  exact: (items: T[], first: number) => string,
  built: Results<R>,
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
        const values: unknown[] = []
        for (let k = 0; k < slice.length; k++) row(slice[k], values)
        return JSON.stringify(values)
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
  const { width, build } = built
  const store = (first: number, json: string): null => {
    const values = JSON.parse(json) as unknown[]
    let k = first
    for (let j = 0; j < values.length; j += width) results[k++] = build(values, j)
    missing -= k - first
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
