import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { routeSessionOrWarn } from '../../runtime/session/route-session.ts';

const CMDLET = 'Clear-KrSession';

/** Clear-KrSession: deletes every key but keeps the session key and its cookie; the same cookie then reads an empty session. */
export const clearKrSession = defineAsyncCmdlet(CMDLET, {}, async (): Promise<void> => {
  await routeSessionOrWarn(CMDLET)?.clear();
});
