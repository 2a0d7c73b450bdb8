/**
 * A key's Redis Cluster slot, through cluster-key-slot, the library ioredis's own routing uses, so the two always agree.
 * A string key is hashed as a Buffer of its UTF-8 bytes: given a string, the library first copies it into an array of
 * numbers, one per byte.
 */
import calculateSlot from 'cluster-key-slot';

export function clusterSlot(key: string | Buffer): number {
  return calculateSlot(typeof key === 'string' ? Buffer.from(key) : key);
}
