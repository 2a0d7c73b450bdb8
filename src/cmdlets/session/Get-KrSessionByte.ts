import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { stringParameter } from '../../runtime/binding/parameter.ts';
import { routeSessionOrWarn } from '../../runtime/session/route-session.ts';

const CMDLET = 'Get-KrSessionByte';

/** Get-KrSessionByte: a copy of the bytes stored under the key, so changing it cannot change the session; null when missing. */
export const getKrSessionByte = defineAsyncCmdlet(CMDLET, { key: stringParameter({ mandatory: true }) }, async ({ values }): Promise<Buffer | null | undefined> => {
  const session = routeSessionOrWarn(CMDLET);
  if (session === undefined) return undefined;
  const value = await session.get(values.key);
  return value === null ? null : Buffer.from(value);
});
