/** Peer: express 5 + express-session over connect-redis 8 (ioredis), on the same routes and cookie as kestrun-ts. */
import { createServer } from 'node:https';
import express from 'express';
import session from 'express-session';
import { COUNTER_MESSAGE, HELLO_TEXT, SESSION_COOKIE_NAME } from '../contract.ts';
import { HOST, announceListening, readServerEnvironment } from './environment.ts';
import { singleQueryValue } from './query.ts';
import { createRedisSessionStore } from './redis-session-store.ts';

declare module 'express-session' {
  interface SessionData {
    counter: number;
    values: Record<string, string>;
  }
}

const environment = readServerEnvironment();
const app = express();

app.use(
  session({
    name: SESSION_COOKIE_NAME,
    secret: environment.sessionSecret,
    store: createRedisSessionStore(environment.redisUrl),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: true },
  }),
);

app.get('/hello', (_req, res) => {
  res.type('text/plain').send(HELLO_TEXT);
});

app.get('/session/counter', (req, res) => {
  const counter = (req.session.counter ?? 0) + 1;
  req.session.counter = counter;
  res.json({ message: COUNTER_MESSAGE, counter });
});

app.get('/session/get', (req, res) => {
  const key = singleQueryValue(req.query['key']);
  const value = key === undefined ? undefined : req.session.values?.[key];
  if (value === undefined) {
    res.status(404).json({ message: 'Key not found in session', key });
    return;
  }
  res.json({ key, value });
});

app.get('/session/set', (req, res) => {
  const key = singleQueryValue(req.query['key']);
  const value = singleQueryValue(req.query['value']);
  if (key === undefined || value === undefined) {
    res.status(400).json({ message: 'key and value are required' });
    return;
  }
  req.session.values = { ...req.session.values, [key]: value };
  res.json({ message: 'Value set', key, value });
});

createServer({ key: environment.key, cert: environment.cert }, app).listen(environment.port, HOST, () =>
  announceListening(environment.port),
);
