/** Tools the bench runs come from Debian's packages; the bench runs as root on a Debian machine, so it installs them itself. */
import { spawnSync } from 'node:child_process';

const APT_TIMEOUT_MS = 300_000;

export interface DebianCommand {
  readonly command: string;
  readonly versionArgs: readonly string[];
  readonly debianPackage: string;
}

/** Returns the command's version line, installing its package first when the command is missing. */
export function ensureDebianCommand(tool: DebianCommand): string {
  const installed = versionOf(tool);
  if (installed !== undefined) return installed;
  console.log(`${tool.command} is not installed: apt-get install -y ${tool.debianPackage}`);
  if (!aptGet('install', '-y', tool.debianPackage)) {
    // A fresh machine often has no package lists yet.
    aptGet('update');
    if (!aptGet('install', '-y', tool.debianPackage)) throw new Error(`apt-get could not install ${tool.debianPackage}.`);
  }
  const version = versionOf(tool);
  if (version === undefined) throw new Error(`${tool.command} is still missing after apt-get install.`);
  return version;
}

function versionOf(tool: DebianCommand): string | undefined {
  // Some tools (wrk -v) print their version and exit non-zero; only a failure to start means the command is absent.
  const probe = spawnSync(tool.command, tool.versionArgs, { encoding: 'utf8' });
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
