import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { expect } from 'chai';
import { Hono } from 'hono';
import { getPathNoStrict } from 'hono/utils/url';
import { routePath } from '../../src/runtime/pipeline/request-path.ts';

interface PathPair {
  readonly ours: string;
  readonly hono: string;
}

/**
 * Sends one raw request (so that any request target reaches the server as written) and returns both paths, worked
 * out from the Request that @hono/node-server really built of it.
 */
function pathsOf(port: number, target: string, host: string): Promise<PathPair | 'rejected'> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    let response = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (response += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const body = response.slice(response.indexOf('\r\n\r\n') + 4);
      resolve(response.startsWith('HTTP/1.1 200') ? (JSON.parse(body) as PathPair) : 'rejected');
    });
  });
}

describe('routePath (the path routes are matched on)', () => {
  let server: Server;
  let port: number;

  before(async () => {
    let ours = '';
    let hono = '';
    const app = new Hono({
      getPath: (request, options) => {
        ours = routePath(request, options);
        hono = getPathNoStrict(request);
        return '/';
      },
    });
    app.all('*', (c) => c.json({ ours, hono }));
    server = createServer(getRequestListener(app.fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const targets = [
    '/hello', '/hello/', '/', '//', '/a//b', '/session/get?key=color', '/x/?y=/./z', '/x#fragment', '/UPPER/Case-1_2~3',
    '/file.txt', '/.well-known/x', '/a.b/c.', '/...', '/a/.../b', '/a/./b', '/a/../b', '/a/.', '/a/..', '/./', '/../x',
    '/a/.?q', '/a/..#f', '/caf%C3%A9', '/a%2Fb', '/a/%2e/b', '/%', '/%zz/a', '/a%25b', '/@user', '/a;b=c', '/a+b',
    "/a'b", '/a(b)*', '/[x]', '/a,b', '/a:b', '/a$b&c', '/a!b', '/a\\b', '/a|b', '/a"b', '/a{b}', '/a`b', '/ü',
    'http://example.com/absolute/', '*',
  ];

  for (const host of ['127.0.0.1', 'LOCALHOST:8080', '[::1]:5000']) {
    it(`gives Hono's own path for every request target (Host: ${host})`, async () => {
      for (const target of targets) {
        const paths = await pathsOf(port, target, host);
        if (paths === 'rejected') continue;
        expect(paths.ours, `${target} with Host ${host}`).to.equal(paths.hono);
      }
    });
  }

  it('reads a plain path from the request target, without a trailing slash, as strict: false does', async () => {
    expect(await pathsOf(port, '/session/counter/?a=1', '127.0.0.1')).to.deep.equal({ ours: '/session/counter', hono: '/session/counter' });
  });

  it("falls back to Hono's getPath for a Request fetched without Node", () => {
    expect(routePath(new Request('https://h.test/a/b/?c=1'))).to.equal('/a/b');
    expect(routePath(new Request('https://h.test/caf%C3%A9'), { env: {} })).to.equal('/café');
  });
});
