import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { intParameter } from '../../runtime/binding/number-parameters.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { NOTHING, routeSessionOrWarn, sessionLimitRefusal } from '../../runtime/session/route-session.ts';
import { encodeInt32 } from '../../runtime/session/session-values.ts';

const CMDLET = 'Set-KrSessionInt32';
const refuse = sessionLimitRefusal(CMDLET, 'Key');

/** Set-KrSessionInt32: stores exactly 4 bytes, big-endian two's complement (1 → 00 00 00 01). */
export const setKrSessionInt32 = defineAsyncCmdlet(
  CMDLET,
  { key: stringParameter({ mandatory: true }), value: intParameter({ mandatory: true }) },
  ({ values }): Promise<void> => {
    const session = routeSessionOrWarn(CMDLET);
    return session === undefined ? NOTHING : session.write(values.key, encodeInt32(values.value), refuse);
  },
);
