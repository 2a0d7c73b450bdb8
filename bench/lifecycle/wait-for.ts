const POLL_INTERVAL_MS = 50;

/** Polls rather than sleeping a fixed time: readiness is observed, and a child that died is reported at once. */
export async function waitFor(ready: () => boolean, failed: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (failed()) throw new Error('the process exited');
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
