import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { NOTHING, routeSessionOrWarn, sessionLimitRefusal } from '../../runtime/session/route-session.ts';
import { encodeString } from '../../runtime/session/session-values.ts';

const CMDLET = 'Set-KrSessionString';
const refuse = sessionLimitRefusal(CMDLET, 'Value');

/** Set-KrSessionString: stores the UTF-8 bytes of the value, with no length prefix and no BOM. */
export const setKrSessionString = defineAsyncCmdlet(
  CMDLET,
  { key: stringParameter({ mandatory: true }), value: stringParameter({ mandatory: true }) },
  ({ values }): Promise<void> => {
    const session = routeSessionOrWarn(CMDLET);
    return session === undefined ? NOTHING : session.write(values.key, encodeString(values.value), refuse);
  },
);
