import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { stringParameter } from '../../runtime/binding/parameter.ts';
import { routeSessionOrWarn, sessionOperation } from '../../runtime/session/route-session.ts';
import { encodeString } from '../../runtime/session/session-values.ts';

const CMDLET = 'Set-KrSessionString';

/** Set-KrSessionString: stores the UTF-8 bytes of the value, with no length prefix and no BOM. */
export const setKrSessionString = defineAsyncCmdlet(
  CMDLET,
  { key: stringParameter({ mandatory: true }), value: stringParameter({ mandatory: true }) },
  async ({ values }): Promise<void> => {
    const session = routeSessionOrWarn(CMDLET);
    if (session === undefined) return;
    await sessionOperation(CMDLET, 'Value', () => session.set(values.key, encodeString(values.value)));
  },
);
