/**
 * Last line of defence for a bench that dies half-way (an exception, Ctrl-C, a kill): whatever it started is killed
 * and its scratch files removed from a synchronous 'exit' handler, because nothing asynchronous runs any more by then.
 * The normal path still stops things gracefully itself; this only catches what that path never reached.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
const finalizers = new Set<() => void>();

process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const finalize of finalizers) finalize();
});
// Turning signals into exit() makes the 'exit' handler run; the default action would skip it. Codes follow the shell's 128 + n.
const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
  process.once(signal, () => process.exit(code));
}

export function killOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function runOnExit(finalize: () => void): () => void {
  finalizers.add(finalize);
  return () => finalizers.delete(finalize);
}
