/** Where and with what a run happened, for the report's header: figures from different machines do not compare. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../paths.ts';

const REPORTED_PACKAGES = [
  'hono',
  '@hono/node-server',
  'ioredis',
  'express',
  'express-session',
  'connect-redis',
  'fastify',
  '@fastify/session',
  '@fastify/cookie',
] as const;

export interface MachineDescription {
  readonly date: string;
  readonly nproc: string;
  readonly cpuModel: string;
  readonly nodeVersion: string;
  /** Other tenants' load at the start; a busy machine explains low figures. */
  readonly loadAverage: string;
  readonly packages: string;
}

export function describeMachine(): MachineDescription {
  return {
    date: new Date().toISOString(),
    nproc: execFileSync('nproc', { encoding: 'utf8' }).trim(),
    cpuModel: cpuModel(),
    nodeVersion: process.version,
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    packages: REPORTED_PACKAGES.map((name) => `${name} ${installedVersion(name)}`).join(', '),
  };
}

function cpuModel(): string {
  const line = readFileSync('/proc/cpuinfo', 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith('model name'));
  return line?.split(':')[1]?.trim() ?? 'unknown';
}

/** The bench's servers find the peers in bench/node_modules and the rest in the repository's, as Node looks them up. */
const MODULE_DIRECTORIES = [join(REPOSITORY_ROOT, 'bench', 'node_modules'), join(REPOSITORY_ROOT, 'node_modules')];

function installedVersion(name: string): string {
  for (const directory of MODULE_DIRECTORIES) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(directory, name, 'package.json'), 'utf8'));
      const version = typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
      return typeof version === 'string' ? version : 'unknown';
    } catch {
      // Not in this directory: look in the next.
    }
  }
  return 'not installed';
}
