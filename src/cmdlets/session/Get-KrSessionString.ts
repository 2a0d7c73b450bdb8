import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { NOTHING, routeSessionOrWarn } from '../../runtime/session/route-session.ts';
import { decodeString } from '../../runtime/session/session-values.ts';

const CMDLET = 'Get-KrSessionString';

/** Get-KrSessionString: the value decoded as UTF-8; null when the key is missing. */
export const getKrSessionString = defineAsyncCmdlet(CMDLET, { key: stringParameter({ mandatory: true }) }, ({ values }): Promise<string | null | undefined> => {
  const session = routeSessionOrWarn(CMDLET);
  return session === undefined ? NOTHING : session.read(values.key, decodeString);
});
