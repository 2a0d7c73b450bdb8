import { createServer } from 'node:net';

/** A port that was free on 127.0.0.1 a moment ago: for tests that must know a port before a server takes it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      probe.close(() => (port === undefined ? reject(new Error('No free port was assigned.')) : resolve(port)));
    });
  });
}
