import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { intParameter, stringParameter } from '../../runtime/binding/parameter.ts';
import { routeSessionOrWarn, sessionOperation } from '../../runtime/session/route-session.ts';
import { encodeInt32 } from '../../runtime/session/session-values.ts';

const CMDLET = 'Set-KrSessionInt32';

/** Set-KrSessionInt32: stores exactly 4 bytes, big-endian two's complement (1 → 00 00 00 01). */
export const setKrSessionInt32 = defineAsyncCmdlet(
  CMDLET,
  { key: stringParameter({ mandatory: true }), value: intParameter({ mandatory: true }) },
  async ({ values }): Promise<void> => {
    const session = routeSessionOrWarn(CMDLET);
    if (session === undefined) return;
    await sessionOperation(CMDLET, 'Key', () => session.set(values.key, encodeInt32(values.value)));
  },
);
