/** ASP.NET Core's SessionExtensions encodings, so Int32 and string values interoperate with .NET apps. */

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** Four bytes, big-endian two's complement, as SessionExtensions.SetInt32 writes them. */
export function encodeInt32(value: number): Buffer {
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
    throw new RangeError(`An Int32 session value must be an integer from ${INT32_MIN} to ${INT32_MAX}, got ${value}.`);
  }
  const bytes = Buffer.allocUnsafe(4);
  bytes.writeInt32BE(value, 0);
  return bytes;
}

/** Null when missing or shorter than 4 bytes; extra bytes are ignored, as in SessionExtensions.GetInt32. */
export function decodeInt32(bytes: Buffer | null | undefined): number | null {
  if (bytes === null || bytes === undefined || bytes.length < 4) return null;
  return bytes.readInt32BE(0);
}

/** UTF-8 without a BOM; lone surrogates become EF BF BD, exactly as .NET's Encoding.UTF8 does. */
export function encodeString(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

/** Invalid UTF-8 sequences decode to U+FFFD, as in .NET; a leading BOM is kept, as Encoding.UTF8.GetString keeps it. */
export function decodeString(bytes: Buffer | null | undefined): string | null {
  if (bytes === null || bytes === undefined) return null;
  return bytes.toString('utf8');
}
