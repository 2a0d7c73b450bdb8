import { createServer } from 'node:net';

/** A port the kernel just handed out on 127.0.0.1; another process could take it first, which a bench run tolerates by failing loudly. */
export function findFreePort(): Promise<number> {
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
