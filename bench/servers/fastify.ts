/** Peer: fastify + @fastify/cookie + @fastify/session over connect-redis 8 (ioredis), same routes and cookie. */
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import Fastify from 'fastify';
import { COUNTER_MESSAGE, HELLO_TEXT, SESSION_COOKIE_NAME } from '../contract.ts';
import { HOST, announceListening, readServerEnvironment } from './environment.ts';
import { singleQueryValue } from './query.ts';
import { createRedisSessionStore } from './redis-session-store.ts';

declare module 'fastify' {
  interface Session {
    counter?: number;
    values?: Record<string, string>;
  }
}

interface SessionQuery {
  Querystring: Record<string, unknown>;
}

const environment = readServerEnvironment();
const app = Fastify({ https: { key: environment.key, cert: environment.cert } });

await app.register(fastifyCookie);
await app.register(fastifySession, {
  cookieName: SESSION_COOKIE_NAME,
  secret: environment.sessionSecret,
  store: createRedisSessionStore(environment.redisUrl),
  saveUninitialized: false,
  cookie: { httpOnly: true, sameSite: 'lax', secure: true },
});

app.get('/hello', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(HELLO_TEXT));

app.get('/session/counter', async (request) => {
  const counter = (request.session.get('counter') ?? 0) + 1;
  request.session.set('counter', counter);
  return { message: COUNTER_MESSAGE, counter };
});

app.get<SessionQuery>('/session/get', async (request, reply) => {
  const key = singleQueryValue(request.query['key']);
  const value = key === undefined ? undefined : request.session.get('values')?.[key];
  if (value === undefined) return reply.code(404).send({ message: 'Key not found in session', key });
  return { key, value };
});

app.get<SessionQuery>('/session/set', async (request, reply) => {
  const key = singleQueryValue(request.query['key']);
  const value = singleQueryValue(request.query['value']);
  if (key === undefined || value === undefined) return reply.code(400).send({ message: 'key and value are required' });
  request.session.set('values', { ...request.session.get('values'), [key]: value });
  return { message: 'Value set', key, value };
});

await app.listen({ host: HOST, port: environment.port });
announceListening(environment.port);
