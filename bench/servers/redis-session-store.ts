/**
 * The store both express-session and @fastify/session use: connect-redis 8 over ioredis. connect-redis 9 speaks
 * only node-redis; 8.x is the last line that drives an ioredis client, and it does exactly what the bench needs
 * (GET, SET EX, EXPIRE, DEL, JSON values, `sess:` prefix), so the peers run the store their users run.
 *
 * The ioredis client keeps its defaults (no auto-pipelining), as a user wiring connect-redis would leave it.
 */
import { RedisStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { SESSION_TTL_SECONDS } from './environment.ts';

export function createRedisSessionStore(redisUrl: string): RedisStore {
  const client = new Redis(redisUrl);
  // Without a listener ioredis reports connection trouble as an unhandled 'error' event.
  client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
  return new RedisStore({ client, prefix: 'sess:', ttl: SESSION_TTL_SECONDS });
}
