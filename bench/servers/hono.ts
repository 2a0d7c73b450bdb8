/** The ceiling: the least a Hono app on @hono/node-server can do per HTTPS request. */
import { createServer } from 'node:https';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HELLO_TEXT } from '../contract.ts';
import { HOST, announceListening, readServerEnvironment } from './environment.ts';

const environment = readServerEnvironment();
const app = new Hono();
app.get('/hello', (c) => c.text(HELLO_TEXT));

serve(
  {
    fetch: app.fetch,
    hostname: HOST,
    port: environment.port,
    createServer,
    serverOptions: { key: environment.key, cert: environment.cert },
  },
  (info) => announceListening(info.port),
);
