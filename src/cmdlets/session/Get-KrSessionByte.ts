import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { NOTHING, routeSessionOrWarn } from '../../runtime/session/route-session.ts';

const CMDLET = 'Get-KrSessionByte';

/** A copy, so changing what the cmdlet returned cannot change the session. */
const copyOrNull = (bytes: Buffer | undefined): Buffer | null => (bytes === undefined ? null : Buffer.from(bytes));

/**
 * Get-KrSessionByte: a copy of the bytes stored under the key; null when missing.
 * @example
 * const avatar = await getKrSessionByte({ key: 'avatar' });
 */
export const getKrSessionByte = defineAsyncCmdlet(CMDLET, { key: stringParameter({ mandatory: true }) }, ({ values }): Promise<Buffer | null | undefined> => {
  const session = routeSessionOrWarn(CMDLET);
  return session === undefined ? NOTHING : session.read(values.key, copyOrNull);
});
