/** wrk comes from Debian's package; the bench runs as root on a Debian machine, so it installs wrk itself. */
import { spawnSync } from 'node:child_process';

const APT_TIMEOUT_MS = 300_000;

/** Returns wrk's version line, installing wrk first when it is missing. */
export function ensureWrk(): string {
  const installed = wrkVersion();
  if (installed !== undefined) return installed;
  console.log('wrk is not installed: apt-get install -y wrk');
  if (!aptGet('install', '-y', 'wrk')) {
    // A fresh machine often has no package lists yet.
    aptGet('update');
    if (!aptGet('install', '-y', 'wrk')) throw new Error('apt-get could not install wrk.');
  }
  const version = wrkVersion();
  if (version === undefined) throw new Error('wrk is still missing after apt-get install.');
  return version;
}

function wrkVersion(): string | undefined {
  // `wrk -v` prints its version and usage, and exits non-zero; only a failure to start means it is absent.
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (probe.error !== undefined) return undefined;
  return `${probe.stdout}${probe.stderr}`.split('\n')[0]?.trim();
}

function aptGet(...args: string[]): boolean {
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    timeout: APT_TIMEOUT_MS,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}
