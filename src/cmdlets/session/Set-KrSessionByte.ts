import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { typedParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { NOTHING, routeSessionOrWarn, sessionLimitRefusal } from '../../runtime/session/route-session.ts';

const CMDLET = 'Set-KrSessionByte';
const refuse = sessionLimitRefusal(CMDLET, 'Value');

/** A byte[]: a Buffer, a Uint8Array or an array of integers 0–255, and not empty (PowerShell's mandatory binding). */
function isByteArray(value: unknown): value is Uint8Array | readonly number[] {
  if (value instanceof Uint8Array) return value.length > 0;
  return Array.isArray(value) && value.length > 0 && value.every((item) => Number.isInteger(item) && item >= 0 && item <= 255);
}

/**
 * Set-KrSessionByte: stores a copy of the bytes.
 * @example
 * await setKrSessionByte({ key: 'avatar', value: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
 */
export const setKrSessionByte = defineAsyncCmdlet(
  CMDLET,
  { key: stringParameter({ mandatory: true }), value: typedParameter(isByteArray, 'System.Byte[]', { mandatory: true }) },
  ({ values }): Promise<void> => {
    const session = routeSessionOrWarn(CMDLET);
    if (session === undefined) return NOTHING;
    return session.write(values.key, values.value instanceof Uint8Array ? values.value : Uint8Array.from(values.value), refuse);
  },
);
