import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { routeSessionOrWarn } from '../../runtime/session/route-session.ts';

const CMDLET = 'Remove-KrSession';

/**
 * Remove-KrSession: deletes one key; a missing key is a no-op, and it never creates a session or cookie.
 * @example
 * await removeKrSession({ key: 'user' });
 */
export const removeKrSession = defineAsyncCmdlet(CMDLET, { key: stringParameter({ mandatory: true }) }, async ({ values }): Promise<void> => {
  await routeSessionOrWarn(CMDLET)?.remove(values.key);
});
