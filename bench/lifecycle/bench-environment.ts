/**
 * What every run sets up once and must tear down however it ends: wrk, a scratch directory, the shared
 * certificate and Redis.
 */
import { closeIdleConnections } from '../client/https-get.ts';
import { ensureWrk } from '../wrk/ensure-wrk.ts';
import { writeBenchCertificate } from './certificate.ts';
import { startCluster } from './redis-cluster.ts';
import type { BenchCluster } from './redis-cluster.ts';
import { startRedis } from './redis.ts';
import { createScratchDirectory } from './scratch-directory.ts';
import type { ServerLaunch } from './server-process.ts';

export interface BenchEnvironment extends ServerLaunch {
  readonly redisDescription: string;
  readonly wrkVersion: string;
}

/** `cluster`: also start the private Redis Cluster, for the targets that run on it. */
export async function withBenchEnvironment<T>(work: (environment: BenchEnvironment) => Promise<T>, cluster = false): Promise<T> {
  const wrkVersion = ensureWrk();
  const scratch = createScratchDirectory();
  try {
    const certificate = await writeBenchCertificate(scratch.path);
    const redis = await startRedis();
    let redisCluster: BenchCluster | undefined;
    try {
      redisCluster = cluster ? await startCluster() : undefined;
    } catch (error) {
      await redis.stop();
      throw error;
    }
    try {
      return await work({
        scratchDirectory: scratch.path,
        certificate,
        redisUrl: redis.url,
        clusterConfiguration: redisCluster?.configuration,
        redisDescription: redisCluster === undefined ? redis.description : `${redis.description}; ${redisCluster.description}`,
        wrkVersion,
      });
    } finally {
      await Promise.all([redis.stop(), redisCluster?.stop()]);
    }
  } finally {
    closeIdleConnections();
    scratch.remove();
  }
}
