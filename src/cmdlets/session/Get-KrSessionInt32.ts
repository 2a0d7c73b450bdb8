import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { NOTHING, routeSessionOrWarn } from '../../runtime/session/route-session.ts';
import { decodeInt32 } from '../../runtime/session/session-values.ts';

const CMDLET = 'Get-KrSessionInt32';

/** Get-KrSessionInt32: the first 4 bytes as a big-endian Int32; null when the key is missing or shorter than 4 bytes (not 0). Keys are case-sensitive. */
export const getKrSessionInt32 = defineAsyncCmdlet(CMDLET, { key: stringParameter({ mandatory: true }) }, ({ values }): Promise<number | null | undefined> => {
  const session = routeSessionOrWarn(CMDLET);
  return session === undefined ? NOTHING : session.read(values.key, decodeInt32);
});
