// The ESM flavour: named and default imports resolve to the same types.
import sdk, { Client, CinetPayError } from 'cinetpay-transfer'
import { Sandbox } from 'cinetpay-transfer/testing'

export async function esm(): Promise<void> {
  const sandbox = await Sandbox.start()
  const client: InstanceType<typeof sdk.Client> = new Client(sandbox.clientOptions())
  const isError: boolean = new CinetPayError('x') instanceof sdk.CinetPayError
  void client, isError
}
