/**
 * What every run sets up once and must tear down however it ends: wrk, a scratch directory, the shared
 * certificate and Redis.
 */
import { closeIdleConnections } from '../client/https-get.ts';
import { ensureWrk } from '../wrk/ensure-wrk.ts';
import { writeBenchCertificate } from './certificate.ts';
import { startRedis } from './redis.ts';
import { createScratchDirectory } from './scratch-directory.ts';
import type { ServerLaunch } from './server-process.ts';

export interface BenchEnvironment extends ServerLaunch {
  readonly redisDescription: string;
  readonly wrkVersion: string;
}

export async function withBenchEnvironment<T>(work: (environment: BenchEnvironment) => Promise<T>): Promise<T> {
  const wrkVersion = ensureWrk();
  const scratch = createScratchDirectory();
  try {
    const certificate = await writeBenchCertificate(scratch.path);
    const redis = await startRedis();
    try {
      return await work({
        scratchDirectory: scratch.path,
        certificate,
        redisUrl: redis.url,
        redisDescription: redis.description,
        wrkVersion,
      });
    } finally {
      await redis.stop();
    }
  } finally {
    closeIdleConnections();
    scratch.remove();
  }
}
