/**
 * ASP.NET Core DistributedSession's blob format, revision 2, byte for byte, so that a session written by this
 * port can be read by a .NET app sharing the same Redis, and the other way round.
 */
import { randomBytes } from 'node:crypto';

export const SESSION_FORMAT_REVISION = 2;
export const SESSION_ID_LENGTH = 16;
export const MAX_KEY_UTF8_LENGTH = 0xffff;
export const MAX_ENTRIES = 0xffffff;
export const MAX_VALUE_LENGTH = 0x7fffffff;
/**
 * The format alone would allow blobs of petabytes, and ASP.NET sets no limit of its own. Each request reads,
 * parses and rewrites the whole blob on one event loop, so a runaway session stalls every other request and
 * fills the store: 16 MiB is 8% of the in-memory cache's 200 MB default and takes milliseconds to copy.
 * Real sessions are a few kilobytes, so no legitimate one gets near it.
 */
export const MAX_SERIALIZED_SESSION_BYTES = 16 * 1024 * 1024;

const HEADER_LENGTH = 1 + 3 + SESSION_ID_LENGTH;
const KEY_LENGTH_SIZE = 2;
const VALUE_LENGTH_SIZE = 4;

/** A session exceeds a limit of the format; thrown at commit, like ASP.NET's ArgumentOutOfRangeException. */
export class SessionLimitError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'SessionLimitError';
  }
}

export interface DeserializedSession {
  readonly id: Buffer;
  readonly entries: Map<string, Buffer>;
}

export function serializeSession(id: Buffer, entries: ReadonlyMap<string, Buffer>): Buffer {
  if (id.length !== SESSION_ID_LENGTH) {
    throw new RangeError(`A session id is ${SESSION_ID_LENGTH} bytes, got ${id.length}.`);
  }
  if (entries.size > MAX_ENTRIES) {
    throw new SessionLimitError(`A session cannot hold more than ${MAX_ENTRIES} entries, it has ${entries.size}.`);
  }

  let size = HEADER_LENGTH;
  for (const [key, value] of entries) {
    const keyLength = Buffer.byteLength(key, 'utf8');
    if (keyLength > MAX_KEY_UTF8_LENGTH) {
      throw new SessionLimitError(`The key cannot be longer than '${MAX_KEY_UTF8_LENGTH}' when encoded with UTF-8.`);
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw new SessionLimitError(
        `The value of session key '${key}' is ${value.length} bytes; the limit is ${MAX_VALUE_LENGTH}.`,
      );
    }
    size += KEY_LENGTH_SIZE + keyLength + VALUE_LENGTH_SIZE + value.length;
  }
  if (size > MAX_SERIALIZED_SESSION_BYTES) {
    throw new SessionLimitError(
      `The serialized session would be ${size} bytes; the limit is ${MAX_SERIALIZED_SESSION_BYTES}.`,
    );
  }

  // allocUnsafe is safe here because the size is exact and every byte is written below.
  const blob = Buffer.allocUnsafe(size);
  blob[0] = SESSION_FORMAT_REVISION;
  blob.writeUIntBE(entries.size, 1, 3);
  id.copy(blob, 4);
  let offset = HEADER_LENGTH;
  for (const [key, value] of entries) {
    // Writing the key first yields its byte length, which saves encoding it a second time.
    const keyLength = blob.write(key, offset + KEY_LENGTH_SIZE, 'utf8');
    blob.writeUInt16BE(keyLength, offset);
    offset += KEY_LENGTH_SIZE + keyLength;
    blob.writeUInt32BE(value.length, offset);
    offset += VALUE_LENGTH_SIZE;
    offset += value.copy(blob, offset);
  }
  return blob;
}

/**
 * Returns null for an unknown revision (the caller starts empty and marks the session modified so the blob is
 * overwritten) and throws for a truncated or corrupt blob (the caller treats it as a failed load).
 */
export function deserializeSession(blob: Buffer): DeserializedSession | null {
  if (blob.length === 0 || blob[0] !== SESSION_FORMAT_REVISION) return null;
  // One private copy: the in-memory cache hands out its stored buffer, and values are views into this copy,
  // so a caller mutating a value can never corrupt what other requests read from the cache.
  const own = Buffer.from(blob);
  requireBytes(own, 0, HEADER_LENGTH);
  const count = own.readUIntBE(1, 3);
  const id = own.subarray(4, HEADER_LENGTH);
  const entries = new Map<string, Buffer>();
  let offset = HEADER_LENGTH;
  for (let i = 0; i < count; i++) {
    requireBytes(own, offset, KEY_LENGTH_SIZE);
    const keyLength = own.readUInt16BE(offset);
    offset += KEY_LENGTH_SIZE;
    requireBytes(own, offset, keyLength);
    const key = own.toString('utf8', offset, offset + keyLength);
    offset += keyLength;
    requireBytes(own, offset, VALUE_LENGTH_SIZE);
    const valueLength = own.readUInt32BE(offset);
    if (valueLength > MAX_VALUE_LENGTH) {
      throw new Error(`Session blob is corrupt: entry ${i} declares a value of ${valueLength} bytes.`);
    }
    offset += VALUE_LENGTH_SIZE;
    requireBytes(own, offset, valueLength);
    entries.set(key, own.subarray(offset, offset + valueLength));
    offset += valueLength;
  }
  return { id, entries };
}

function requireBytes(blob: Buffer, offset: number, count: number): void {
  if (offset + count > blob.length) {
    throw new Error(
      `Session blob is truncated: ${count} bytes needed at offset ${offset}, but the blob is ${blob.length} bytes long.`,
    );
  }
}

/** Formats 16 bytes the way .NET's Guid.ToString() does: the first three groups are little-endian. */
export function formatGuid(bytes: Buffer): string {
  if (bytes.length !== 16) throw new RangeError(`A Guid is 16 bytes, got ${bytes.length}.`);
  const hex = bytes.toString('hex');
  return (
    hex.slice(6, 8) + hex.slice(4, 6) + hex.slice(2, 4) + hex.slice(0, 2) + '-' +
    hex.slice(10, 12) + hex.slice(8, 10) + '-' +
    hex.slice(14, 16) + hex.slice(12, 14) + '-' +
    hex.slice(16, 20) + '-' +
    hex.slice(20)
  );
}

/**
 * A new session key as SessionMiddleware makes it: 16 raw CSPRNG bytes, so unlike crypto.randomUUID() the
 * version and variant nibbles are random too.
 */
export function createSessionKey(): string {
  return formatGuid(randomBytes(16));
}
