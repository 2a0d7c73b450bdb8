/** The package has no types of its own. */
declare module 'cluster-key-slot' {
  /** Redis Cluster's hash slot (0 to 16383) of a key, of its `{hash tag}` when it has one. */
  export default function calculateSlot(key: string | Buffer): number;
}
