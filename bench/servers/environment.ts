/**
 * What the bench hands every peer server, through the environment so that all of them, whatever their framework,
 * read it the same way: where to listen, the TLS key pair the whole run shares, and the run's Redis.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const HOST = '127.0.0.1';
/** Kestrun's default session IdleTimeout, so the peers' Redis TTLs match its sliding expiry. */
export const SESSION_TTL_SECONDS = 20 * 60;

export interface ServerEnvironment {
  readonly port: number;
  readonly key: Buffer;
  readonly cert: Buffer;
  readonly redisUrl: string;
  /** Fresh per start: sessions never outlive one server process in the bench. */
  readonly sessionSecret: string;
}

export function readServerEnvironment(): ServerEnvironment {
  return {
    port: Number(required('BENCH_PORT')),
    key: readFileSync(required('BENCH_TLS_KEY_FILE')),
    cert: readFileSync(required('BENCH_TLS_CERT_FILE')),
    redisUrl: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    sessionSecret: randomBytes(32).toString('hex'),
  };
}

/** The line the bench waits for; it is the line Kestrun prints, so one pattern detects every server's readiness. */
export function announceListening(port: number): void {
  console.log(`Now listening on: https://${HOST}:${port}`);
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} must be set.`);
  return value;
}
