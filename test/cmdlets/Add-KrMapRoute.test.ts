import { randomUUID } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { expect } from 'chai';
import {
  addKrEndpoint,
  addKrMapRoute,
  addKrSession,
  enableKrConfiguration,
  getKrRequestQuery,
  getKrSessionInt32,
  KrParameterBindingError,
  listeningUrls,
  newKrCookieBuilder,
  newKrServer,
  setKrSessionInt32,
  startKrServer,
  writeKrJsonResponse,
  writeKrTextResponse,
} from '../../src/index.ts';
import type { KrContext, RouteHandler, ServerDefinition } from '../../src/index.ts';
import { CaptureLogger } from '../support/capture-logger.ts';
import { deferred, expectCmdletError, removeServer, SignalLogger } from '../support/cmdlet-helpers.ts';
import { CookieJar, fetchHttp2, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';

const text = (body: string): RouteHandler => () => writeKrTextResponse({ inputObject: body });

describe('Add-KrMapRoute (addKrMapRoute)', () => {
  describe('definition', () => {
    const logger = new CaptureLogger();
    let name = '';
    let server: ServerDefinition;

    beforeEach(() => {
      name = `add-kr-map-route-${randomUUID()}`;
      server = newKrServer({ name, logger, default: true });
    });

    afterEach(async () => {
      await removeServer(name);
    });

    it('returns a new frozen definition with the route and leaves the old one as it was', () => {
      const after = addKrMapRoute({ path: '/a', scriptBlock: text('a') });
      expect(server.routes).to.have.length(0);
      expect(after.routes).to.have.length(1);
      expect(Object.isFrozen(after.routes)).to.equal(true);
      expect(Object.isFrozen(after.routes[0])).to.equal(true);
    });

    it('defaults to GET on /', () => {
      const [route] = addKrMapRoute({ scriptBlock: text('root') }).routes;
      expect(route?.verbs).to.deep.equal(['Get']);
      expect(route?.pattern).to.equal('/');
    });

    it("takes Kestrun's 'pattern' alias for path and 'method' alias for verbs, case-insensitively", () => {
      const [route] = addKrMapRoute({ pattern: '/p', method: ['post', 'PUT'], scriptBlock: text('p') }).routes;
      expect(route?.pattern).to.equal('/p');
      expect(route?.verbs).to.deep.equal(['Post', 'Put']);
    });

    it('removes repeated verbs', () => {
      expect(addKrMapRoute({ verbs: ['Get', 'get'], path: '/v', scriptBlock: text('v') }).routes[0]?.verbs).to.deep.equal(['Get']);
    });

    it('an empty verb list means GET, as in Kestrun', () => {
      expect(addKrMapRoute({ verbs: [], path: '/e', scriptBlock: text('e') }).routes[0]?.verbs).to.deep.equal(['Get']);
    });

    it('translates ASP.NET route templates into Hono patterns', () => {
      const routes = [
        addKrMapRoute({ path: '/items/{id}', scriptBlock: text('') }),
        addKrMapRoute({ path: '/files/{*rest}', scriptBlock: text('') }),
        addKrMapRoute({ path: '/opt/{page?}', scriptBlock: text('') }),
      ].map((definition) => definition.routes[definition.routes.length - 1]?.pattern);
      expect(routes).to.deep.equal(['/items/:id', '/files/:rest{.+}', '/opt/:page?']);
    });

    describe('duplicates', () => {
      it("refuses the same verb on the same path with Kestrun's message", () => {
        addKrMapRoute({ path: '/dup', scriptBlock: text('first') });
        const error = expectCmdletError(
          () => addKrMapRoute({ path: '/dup', scriptBlock: text('second') }),
          "Add-KrMapRoute: Route '/dup' with method(s) Get already exists.",
        );
        expect(error.parameter).to.equal('Path');
      });

      it('compares paths case-insensitively, ignoring a trailing slash and the template syntax', () => {
        addKrMapRoute({ path: '/Items/{id}', scriptBlock: text('first') });
        expect(() => addKrMapRoute({ path: '/items/{id}/', scriptBlock: text('x') })).to.throw(/already exists/);
        expect(() => addKrMapRoute({ path: '/items/:id', scriptBlock: text('x') })).to.throw(/already exists/);
      });

      it('refuses any overlapping verb, and lists the verbs asked for', () => {
        addKrMapRoute({ verbs: ['Get', 'Post'], path: '/overlap', scriptBlock: text('x') });
        expectCmdletError(
          () => addKrMapRoute({ verbs: ['Put', 'Post'], path: '/overlap', scriptBlock: text('x') }),
          "Add-KrMapRoute: Route '/overlap' with method(s) Put,Post already exists.",
        );
      });

      it('allows another verb on the same path', () => {
        addKrMapRoute({ path: '/same', scriptBlock: text('get') });
        expect(addKrMapRoute({ verbs: 'Post', path: '/same', scriptBlock: text('post') }).routes).to.have.length(2);
      });

      for (const input of [{ duplicateAction: 'Skip' }, { duplicateAction: 'warn' }, { duplicateAction: 'Allow' }, { allowDuplicate: true }]) {
        it(`${JSON.stringify(input)} keeps the first route, warns, and adds nothing`, () => {
          const before = addKrMapRoute({ path: '/kept', scriptBlock: text('first') });
          logger.events.length = 0;
          const after = addKrMapRoute({ path: '/kept', scriptBlock: text('second'), ...input });
          expect(after).to.equal(before);
          expect(after.routes).to.have.length(1);
          expect(logger.messages('Warning')).to.deep.equal([
            "Add-KrMapRoute: Route '/kept' with method(s) Get already exists. The new route is skipped.",
          ]);
        });
      }

      it('rejects an unknown duplicateAction', () => {
        expect(() => addKrMapRoute({ path: '/x', scriptBlock: text('x'), duplicateAction: 'Replace' })).to.throw(
          KrParameterBindingError,
          'Add-KrMapRoute: Cannot validate argument on parameter \'DuplicateAction\'. The argument "Replace" does not belong to the set "Throw,Skip,Allow,Warn" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.',
        );
      });
    });

    describe('bad input', () => {
      it('requires a script block', () => {
        expect(() => addKrMapRoute({ path: '/x' } as Parameters<typeof addKrMapRoute>[0])).to.throw(
          KrParameterBindingError,
          'Add-KrMapRoute: Cannot process command because of one or more missing mandatory parameters: ScriptBlock.',
        );
      });

      it('rejects a script block that is not a function', () => {
        expect(() => addKrMapRoute({ scriptBlock: 'Write-KrTextResponse hi' as unknown as RouteHandler })).to.throw(
          KrParameterBindingError,
          'Add-KrMapRoute: Cannot bind parameter \'ScriptBlock\'. Cannot convert the "Write-KrTextResponse hi" value of type "System.String" to type "System.Management.Automation.ScriptBlock".',
        );
      });

      it("rejects a path that does not start with '/'", () => {
        expect(() => addKrMapRoute({ path: 'hello', scriptBlock: text('x') })).to.throw(
          KrParameterBindingError,
          'Add-KrMapRoute: Cannot validate argument on parameter \'Path\'. The argument "hello" does not match the "^\\/" pattern. Supply an argument that matches "^\\/" and try the command again.',
        );
      });

      it('rejects path and pattern together', () => {
        expect(() => addKrMapRoute({ path: '/a', pattern: '/b', scriptBlock: text('x') })).to.throw(
          KrParameterBindingError,
          /parameter 'Path' is specified more than once/,
        );
      });

      it('rejects an unknown verb, listing the valid ones', () => {
        expect(() => addKrMapRoute({ verbs: 'Fetch', scriptBlock: text('x') })).to.throw(
          KrParameterBindingError,
          'Add-KrMapRoute: Cannot bind parameter \'Verbs\'. Cannot convert value "Fetch" to type "Kestrun.Utilities.HttpVerb". Error: "Unable to match the identifier name Fetch to a valid enumerator name. Specify one of the following enumerator names and try again:\nGet, Head, Post, Put, Patch, Delete, Options, Trace"',
        );
      });

      it('rejects an unknown parameter, naming it', () => {
        expect(() => addKrMapRoute({ scriptBlock: text('x'), endpoint: 'localhost:5000' } as Parameters<typeof addKrMapRoute>[0])).to.throw(
          KrParameterBindingError,
          "Add-KrMapRoute: A parameter cannot be found that matches parameter name 'endpoint'.",
        );
      });

      it('rejects an unknown server', () => {
        expectCmdletError(
          () => addKrMapRoute({ server: 'no-such-server', scriptBlock: text('x') }),
          "Add-KrMapRoute: No Kestrun server instance named 'no-such-server' was found.",
        );
      });

      it('a rejected call adds nothing', () => {
        expect(() => addKrMapRoute({ path: 'bad', scriptBlock: text('x') })).to.throw();
        expect(addKrMapRoute({ path: '/good', scriptBlock: text('x') }).routes).to.have.length(1);
      });
    });

    describe('against a configured or running server', () => {
      it('adds routes after Enable-KrConfiguration, and they are served', async () => {
        addKrEndpoint({ port: 0 });
        enableKrConfiguration({ quiet: true });
        addKrMapRoute({ path: '/late', scriptBlock: text('late') });
        await startKrServer({ server: name, noWait: true, quiet: true });
        expect((await fetchUrl(`${listeningUrls(name)[0]}/late`)).body).to.equal('late');
      });

      it('refuses a route once the server has served requests, explaining why', async () => {
        addKrEndpoint({ port: 0 });
        addKrMapRoute({ path: '/first', scriptBlock: text('first') });
        await startKrServer({ server: name, noWait: true, quiet: true });
        await fetchUrl(`${listeningUrls(name)[0]}/first`);
        expectCmdletError(
          () => addKrMapRoute({ server: name, path: '/too-late', scriptBlock: text('x') }),
          `Add-KrMapRoute: Cannot add route '/too-late' to server '${name}' while it is serving requests; add routes before Start-KrServer.`,
        );
      });
    });
  });

  describe('serving requests', () => {
    let server: InProcessServer;
    let lastContext: KrContext | undefined;
    let afterWrite = false;

    before(async () => {
      server = await startInProcess(() => {
        addKrMapRoute({ path: '/hello', scriptBlock: text('Hello, World!') });
        addKrMapRoute({ verbs: ['Post', 'Put'], path: '/submit', scriptBlock: text('submitted') });
        addKrMapRoute({ path: '/items/{id}', scriptBlock: (c) => writeKrTextResponse({ inputObject: `item ${c.request.routeValues.id}` }) });
        addKrMapRoute({ path: '/files/{*rest}', scriptBlock: (c) => writeKrTextResponse({ inputObject: c.request.routeValues.rest ?? '' }) });
        addKrMapRoute({ path: '/silent', scriptBlock: () => undefined });
        addKrMapRoute({
          path: '/context',
          scriptBlock: (c) => {
            lastContext = c;
            writeKrJsonResponse({ inputObject: { method: c.request.method, path: c.request.path } });
          },
        });
        addKrMapRoute({
          path: '/twice',
          scriptBlock: () => {
            writeKrTextResponse({ inputObject: 'first', statusCode: 201 });
            writeKrJsonResponse({ inputObject: { second: true }, statusCode: 202 });
            afterWrite = true;
          },
        });
        addKrMapRoute({
          path: '/throws',
          scriptBlock: () => {
            writeKrTextResponse({ inputObject: 'never sent' });
            throw new Error('secret detail: password=hunter2');
          },
        });
        addKrMapRoute({
          path: '/rejects',
          scriptBlock: async () => {
            await Promise.resolve();
            throw new TypeError('async failure detail');
          },
        });
        addKrMapRoute({
          path: '/throws-string',
          scriptBlock: () => {
            throw 'a bare string';
          },
        });
      });
    });

    after(async () => {
      await server.stop();
    });

    it('runs the script block and sends its buffered response', async () => {
      const response = await fetchUrl(`${server.url}/hello`);
      expect(response.status).to.equal(200);
      expect(response.body).to.equal('Hello, World!');
      expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
    });

    it('passes the request context to the script block', async () => {
      const response = await fetchUrl(`${server.url}/context`, { method: 'GET' });
      expect(response.json()).to.deep.equal({ method: 'GET', path: '/context' });
      expect(lastContext?.request.path).to.equal('/context');
    });

    it('answers every verb it maps', async () => {
      for (const method of ['POST', 'PUT']) {
        expect((await fetchUrl(`${server.url}/submit`, { method })).body).to.equal('submitted');
      }
    });

    it('fills route values from {id} and catch-all {*rest} templates', async () => {
      expect((await fetchUrl(`${server.url}/items/42`)).body).to.equal('item 42');
      expect((await fetchUrl(`${server.url}/files/a/b/c.txt`)).body).to.equal('a/b/c.txt');
    });

    it('tolerates a trailing slash, as ASP.NET routing does', async () => {
      expect((await fetchUrl(`${server.url}/hello/`)).body).to.equal('Hello, World!');
    });

    it('matches a percent-encoded path on its decoded form', async () => {
      expect((await fetchUrl(`${server.url}/h%65llo`)).body).to.equal('Hello, World!');
      expect((await fetchUrl(`${server.url}/items/4%32`)).body).to.equal('item 42');
    });

    it('answers 405 with Allow when the path exists under other verbs', async () => {
      const response = await fetchUrl(`${server.url}/submit`);
      expect(response.status).to.equal(405);
      expect(response.headers.allow).to.equal('POST, PUT');
      expect(response.body).to.equal('');
    });

    it('answers an empty 404 for an unknown path', async () => {
      const response = await fetchUrl(`${server.url}/nowhere`);
      expect(response.status).to.equal(404);
      expect(response.body).to.equal('');
      expect(response.headers['content-type']).to.equal(undefined);
    });

    it('answers 200 with no body and no content type when the route writes nothing', async () => {
      const response = await fetchUrl(`${server.url}/silent`);
      expect(response.status).to.equal(200);
      expect(response.body).to.equal('');
      expect(response.headers['content-type']).to.equal(undefined);
    });

    it('sends only the last response written, and the script runs to its end', async () => {
      afterWrite = false;
      const response = await fetchUrl(`${server.url}/twice`);
      expect(response.status).to.equal(202);
      expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(response.json()).to.deep.equal({ second: true });
      expect(afterWrite).to.equal(true);
    });

    it('logs one Debug line per request, unmatched ones included', async () => {
      server.logger.events.length = 0;
      await fetchUrl(`${server.url}/hello`);
      await fetchUrl(`${server.url}/nowhere`);
      await fetchUrl(`${server.url}/submit`);
      const lines = server.logger.messages('Debug');
      expect(lines).to.have.length(3);
      expect(lines[0]).to.match(/^HTTP GET \/hello responded 200 in \d+\.\d{3} ms$/);
      expect(lines[1]).to.match(/^HTTP GET \/nowhere responded 404 in \d+\.\d{3} ms$/);
      expect(lines[2]).to.match(/^HTTP GET \/submit responded 405 in \d+\.\d{3} ms$/);
    });

    describe('a script block that throws', () => {
      for (const [path, detail] of [
        ['/throws', 'secret detail: password=hunter2'],
        ['/rejects', 'async failure detail'],
        ['/throws-string', 'a bare string'],
      ] as const) {
        it(`${path}: answers 500 JSON with error and status, without the stack or the error's message`, async () => {
          const response = await fetchUrl(`${server.url}${path}`, { headers: { accept: '*/*' } });
          expect(response.status).to.equal(500);
          expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
          const body = response.json<Record<string, unknown>>();
          expect(body).to.include({
            error: 'An internal server error occurred.',
            status: 500,
            reason: 'Internal Server Error',
            path,
            method: 'GET',
          });
          expect(Date.parse(String(body.timestamp))).not.to.be.NaN;
          expect(response.body).not.to.contain(detail);
          expect(response.body).not.to.match(/\bat .*\.ts:\d+/);
          expect(response.body).not.to.contain('never sent');
        });
      }

      it('logs the error with the exception itself, so its stack reaches the log', async () => {
        server.logger.events.length = 0;
        await fetchUrl(`${server.url}/throws`);
        const errors = server.logger.events.filter((event) => event.level === 'Error');
        expect(errors).to.have.length(1);
        expect(errors[0]?.message).to.equal('Route GET /throws failed while serving GET /throws');
        expect(errors[0]?.error).to.be.instanceOf(Error);
        expect((errors[0]?.error as Error).stack).to.contain('secret detail: password=hunter2');
        const requestLines = server.logger.messages('Debug');
        expect(requestLines).to.have.length(1);
        expect(requestLines[0]).to.match(/^HTTP GET \/throws responded 500 in /);
      });

      it('keeps serving other requests afterwards', async () => {
        await fetchUrl(`${server.url}/throws`);
        expect((await fetchUrl(`${server.url}/hello`)).status).to.equal(200);
      });
    });
  });

  describe('the request context in the script block', () => {
    let server: InProcessServer;
    const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    let plainCalls = 0;

    before(async () => {
      server = await startInProcess(() => {
        addKrMapRoute({
          path: '/echo',
          scriptBlock: async () => {
            const id = getKrRequestQuery({ name: 'id' });
            // Foreign awaits of every kind between the cmdlets: timers, resolved promises, a nested async function.
            await delay(Number(id) % 7);
            await Promise.resolve();
            const again = await (async () => {
              await delay(Number(id) % 3);
              return getKrRequestQuery({ name: 'id' });
            })();
            writeKrJsonResponse({ inputObject: { id, again } });
          },
        });
        addKrMapRoute({
          path: '/then',
          scriptBlock: () => delay(5).then(() => writeKrTextResponse({ inputObject: `then ${getKrRequestQuery({ name: 'id' })}` })),
        });
        addKrMapRoute({
          path: '/sometimes',
          scriptBlock: () => {
            plainCalls += 1;
            if (plainCalls === 1) {
              writeKrTextResponse({ inputObject: 'plain' });
              return undefined;
            }
            return delay(5).then(() => writeKrTextResponse({ inputObject: `later ${plainCalls}` }));
          },
        });
      });
    });

    after(async () => {
      await server.stop();
    });

    it('follows every await of an async script block, with many requests interleaved', async () => {
      const ids = Array.from({ length: 200 }, (_, index) => String(index));
      const responses = await Promise.all(ids.map((id) => fetchUrl(`${server.url}/echo?id=${id}`)));
      expect(responses.map((response) => response.json())).to.deep.equal(ids.map((id) => ({ id, again: id })));
    });

    it('follows the callbacks of a plain function that returns a promise', async () => {
      const responses = await Promise.all(['1', '2', '3'].map((id) => fetchUrl(`${server.url}/then?id=${id}`)));
      expect(responses.map((response) => response.body)).to.deep.equal(['then 1', 'then 2', 'then 3']);
    });

    it('starts following awaits, with a warning, once a plain script block that returned a value returns a promise', async () => {
      expect((await fetchUrl(`${server.url}/sometimes`)).body).to.equal('plain');
      await fetchUrl(`${server.url}/sometimes`);
      expect(server.logger.messages('Warning').some((message) => message.startsWith('Route GET /sometimes returned a promise'))).to.equal(true);
      expect((await fetchUrl(`${server.url}/sometimes`)).body).to.equal('later 3');
    });
  });

  describe('an async script block, answered once it and its session commit are done', () => {
    let server: InProcessServer;
    const logger = new SignalLogger();
    const held = { entered: deferred() };
    /** Set by the bad-header routes on the line after the one that adds the header. */
    let pastBadHeader = false;

    before(async () => {
      server = await startInProcess(
        () => {
          const cookie = newKrCookieBuilder({ name: 'Kr.Session', httpOnly: true, sameSite: 'Lax', securePolicy: 'Always' });
          addKrSession({ cookie, idleTimeout: 20 });
          addKrMapRoute({
            verbs: ['Get', 'Post'],
            path: '/late',
            scriptBlock: async () => {
              await Promise.resolve();
              writeKrTextResponse({ inputObject: 'late héllo ✓', statusCode: 201 });
            },
          });
          addKrMapRoute({ path: '/late-silent', scriptBlock: async () => await Promise.resolve() });
          addKrMapRoute({
            path: '/counter',
            scriptBlock: async () => {
              const current = (await getKrSessionInt32({ key: 'counter' })) ?? 0;
              await setKrSessionInt32({ key: 'counter', value: current + 1 });
              writeKrJsonResponse({ inputObject: { counter: current + 1 } });
            },
          });
          addKrMapRoute({
            path: '/bad-status',
            scriptBlock: (c) => {
              writeKrTextResponse({ inputObject: 'never sent' });
              c.response.statusCode = 42;
            },
          });
          addKrMapRoute({
            path: '/bad-status-late',
            scriptBlock: async (c) => {
              await Promise.resolve();
              writeKrTextResponse({ inputObject: 'never sent' });
              c.response.statusCode = 42;
            },
          });
          addKrMapRoute({
            path: '/bad-header',
            scriptBlock: (c) => {
              c.response.addHeader('x-note', 'two\nlines');
              pastBadHeader = true;
              writeKrTextResponse({ inputObject: 'never sent' });
            },
          });
          addKrMapRoute({
            path: '/bad-header-late',
            scriptBlock: async (c) => {
              await Promise.resolve();
              c.response.setHeader('x-note', 'two\nlines');
              pastBadHeader = true;
              writeKrTextResponse({ inputObject: 'never sent' });
            },
          });
          addKrMapRoute({
            path: '/held',
            scriptBlock: async (c) => {
              const closed = new Promise((resolve) => c.request.signal.addEventListener('abort', resolve));
              held.entered.resolve();
              await closed;
              writeKrTextResponse({ inputObject: 'nobody is listening' });
            },
          });
        },
        { tls: true, logger },
      );
    });

    after(async () => {
      await server.stop();
    });

    for (const [protocol, fetch] of [
      ['HTTP/1.1', fetchUrl],
      ['HTTP/2', fetchHttp2],
    ] as const) {
      describe(`over ${protocol}`, () => {
        it('sends the status, the body and its Content-Length in bytes', async () => {
          const response = await fetch(`${server.url}/late`);
          expect(response.status).to.equal(201);
          expect(response.body).to.equal('late héllo ✓');
          expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
          expect(response.headers['content-length']).to.equal(String(Buffer.byteLength('late héllo ✓')));
        });

        it('answers 200 with no body and no content type when the route writes nothing', async () => {
          const response = await fetch(`${server.url}/late-silent`);
          expect(response.status).to.equal(200);
          expect(response.body).to.equal('');
          expect(response.headers['content-type']).to.equal(undefined);
        });

        it('answers HEAD and POST as well', async () => {
          const head = await fetch(`${server.url}/late`, { method: 'HEAD' });
          expect(head.status).to.equal(201);
          expect(head.body).to.equal('');
          expect(head.headers['content-type']).to.equal('text/plain; charset=utf-8');
          const post = await fetch(`${server.url}/late`, { method: 'POST' });
          expect(post.status).to.equal(201);
          expect(post.body).to.equal('late héllo ✓');
        });

        it('commits the session before answering, and sends the new cookie with the no-cache headers', async () => {
          const jar = new CookieJar();
          const first = await fetch(`${server.url}/counter`, { jar });
          expect(first.json()).to.deep.equal({ counter: 1 });
          expect(first.setCookies).to.have.length(1);
          expect(first.setCookies[0]).to.match(/^Kr\.Session=[^;]+; path=\/; secure; samesite=lax; httponly$/);
          expect(first.headers).to.include({ 'cache-control': 'no-cache,no-store', pragma: 'no-cache', expires: '-1' });
          const second = await fetch(`${server.url}/counter`, { jar });
          expect(second.json()).to.deep.equal({ counter: 2 });
          expect(second.setCookies).to.deep.equal([]);
        });
      });
    }

    for (const path of ['/bad-status', '/bad-status-late']) {
      it(`${path}: a status code Node cannot send is answered with 500 JSON, the error logged`, async () => {
        logger.events.length = 0;
        const response = await fetchUrl(`${server.url}${path}`);
        expect(response.status).to.equal(500);
        expect(response.json()).to.include({ error: 'An internal server error occurred.', status: 500, path });
        const errors = logger.events.filter((event) => event.level === 'Error');
        expect(errors).to.have.length(1);
        expect((errors[0]?.error as Error).message).to.equal('The route set the status code 42, which is not between 200 and 999.');
        expect(logger.messages('Debug').filter((line) => line.startsWith(`HTTP GET ${path} responded 500 in `))).to.have.length(1);
      });
    }

    for (const path of ['/bad-header', '/bad-header-late']) {
      it(`${path}: a header Node would refuse fails the route on the line that adds it (500 JSON, error logged)`, async () => {
        logger.events.length = 0;
        pastBadHeader = false;
        const response = await fetchUrl(`${server.url}${path}`);
        expect(pastBadHeader).to.equal(false);
        expect(response.status).to.equal(500);
        expect(response.headers['x-note']).to.equal(undefined);
        expect(response.json()).to.include({ error: 'An internal server error occurred.', status: 500, path });
        const errors = logger.events.filter((event) => event.level === 'Error');
        expect(errors).to.have.length(1);
        expect((errors[0]?.error as NodeJS.ErrnoException).code).to.equal('ERR_INVALID_CHAR');
      });
    }

    it('finishes quietly when the client has gone before the route answers, and keeps serving', async () => {
      logger.events.length = 0;
      const client = httpsRequest(`${server.url}/held`, { rejectUnauthorized: false, agent: false });
      client.on('error', () => {
        // The test hangs up on purpose.
      });
      client.end();
      await held.entered.promise;
      client.destroy();
      await logger.waitFor((event) => event.message.startsWith('HTTP GET /held responded 200'));
      expect(logger.events.filter((event) => event.level === 'Error' || event.level === 'Warning')).to.deep.equal([]);
      expect((await fetchUrl(`${server.url}/late`)).status).to.equal(201);
    });
  });
});
