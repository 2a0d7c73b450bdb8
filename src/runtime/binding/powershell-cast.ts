/**
 * PowerShell's [int] cast of a number: fractions round half to even (1.5 → 2, 2.5 → 2) and anything outside
 * Int32 fails. Returns undefined when the value does not fit, so each caller words its own error.
 */
export function castToInt32(numeric: number): number | undefined {
  if (!Number.isFinite(numeric)) return undefined;
  const floor = Math.floor(numeric);
  const diff = numeric - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return rounded > 2147483647 || rounded < -2147483648 ? undefined : rounded;
}
