import { randomUUID } from 'node:crypto';
import { Agent, get } from 'node:https';
import type { Socket } from 'node:net';
import { expect } from 'chai';
import {
  addKrEndpoint,
  addKrMapRoute,
  KrParameterBindingError,
  listeningUrls,
  newKrServer,
  startKrServer,
  stopKrServer,
  writeKrTextResponse,
} from '../../src/index.ts';
import {
  captureOutput,
  connectOutcome,
  deferred,
  expectCmdletRejection,
  removeServer,
  SignalLogger,
} from '../support/cmdlet-helpers.ts';
import { SHUTDOWN_GRACE_MS } from '../../src/runtime/server/host-engine.ts';
import { fetchUrl } from '../support/https-client.ts';

describe('Stop-KrServer (stopKrServer)', () => {
  let logger: SignalLogger;
  let name = '';
  /** Lets the /slow route finish; every test that uses it releases it. */
  let release = deferred();
  /** Resolves when /slow has been entered, so the test knows the request is in flight. */
  let entered = deferred();

  beforeEach(() => {
    name = `stop-kr-server-${randomUUID()}`;
    logger = new SignalLogger();
    release = deferred();
    entered = deferred();
    newKrServer({ name, logger, default: true });
    addKrEndpoint({ port: 0 });
    addKrMapRoute({ path: '/hello', scriptBlock: () => writeKrTextResponse({ inputObject: 'hello' }) });
    addKrMapRoute({
      path: '/slow',
      scriptBlock: async () => {
        entered.resolve();
        await release.promise;
        writeKrTextResponse({ inputObject: 'finished' });
      },
    });
    addKrMapRoute({ path: '/shutdown', scriptBlock: () => stopKrServer() });
  });

  afterEach(async () => {
    release.resolve();
    await removeServer(name);
  });

  async function start(): Promise<string> {
    await startKrServer({ server: name, noWait: true, quiet: true });
    const [url] = listeningUrls(name);
    if (url === undefined) throw new Error('no listener');
    return url;
  }

  /** Over TLS, as the tutorials listen: the HTTP/2 server with its HTTP/1.1 fallback, where keep-alive applies. */
  async function startOverHttps(): Promise<string> {
    addKrEndpoint({ port: 0, selfSignedCert: true });
    await start();
    const url = listeningUrls(name).find((candidate) => candidate.startsWith('https:'));
    if (url === undefined) throw new Error('no HTTPS listener');
    return url;
  }

  describe('outside a route', () => {
    it('lets a request in flight finish, and refuses new connections meanwhile', async () => {
      const url = await start();
      const inFlight = fetchUrl(`${url}/slow`);
      await entered.promise;
      let stopped = false;
      const stopping = stopKrServer({ server: name, quiet: true }).then(() => {
        stopped = true;
      });
      // The listener closes at once: a new connection is refused while the old request still runs.
      expect(await connectOutcome(`${url}/hello`)).to.equal('ECONNREFUSED');
      expect(stopped).to.equal(false);
      release.resolve();
      const response = await inFlight;
      expect(response.status).to.equal(200);
      expect(response.body).to.equal('finished');
      await stopping;
      expect(stopped).to.equal(true);
      expect(await connectOutcome(`${url}/hello`)).to.equal('ECONNREFUSED');
    });

    it('closes an idle keep-alive HTTPS connection at once, while a busy one gets to finish its request', async () => {
      const url = await startOverHttps();
      const agent = new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
      try {
        const idleSocket = await idleKeepAliveSocket(`${url}/hello`, agent);
        const idleClosed = new Promise<void>((resolve) => idleSocket.once('close', () => resolve()));
        const inFlight = fetchUrl(`${url}/slow`);
        await entered.promise;
        const stopping = stopKrServer({ server: name, quiet: true });
        // The idle connection goes before the request in flight is released; waiting for the grace period instead
        // would also cut the busy connection, and the request in flight would fail.
        await idleClosed;
        release.resolve();
        expect((await inFlight).body).to.equal('finished');
        await stopping;
      } finally {
        agent.destroy();
      }
    });

    it('closes a keep-alive HTTPS connection that was busy at the stop once its response has gone', async () => {
      const url = await startOverHttps();
      const agent = new Agent({ keepAlive: true, rejectUnauthorized: false });
      try {
        const request = get(`${url}/slow`, { agent });
        const socketClosedAt = new Promise<number>((resolve) =>
          request.once('socket', (socket: Socket) => socket.once('close', () => resolve(performance.now()))),
        );
        const body = new Promise<string>((resolve, reject) => {
          request.on('response', (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve(text));
          });
          request.on('error', reject);
        });
        await entered.promise;
        const stopping = stopKrServer({ server: name, quiet: true });
        const releasedAt = performance.now();
        release.resolve();
        expect(await body).to.equal('finished');
        // The grace period's deadline would close it too, but not before SHUTDOWN_GRACE_MS had passed.
        expect((await socketClosedAt) - releasedAt).to.be.below(SHUTDOWN_GRACE_MS / 2);
        await stopping;
      } finally {
        agent.destroy();
      }
    });

    it('resolves only once the server has stopped, and forgets it', async () => {
      const url = await start();
      await stopKrServer({ server: name, quiet: true });
      expect(await connectOutcome(`${url}/hello`)).to.equal('ECONNREFUSED');
      expect(() => listeningUrls(name)).to.throw(`listeningUrls: No Kestrun server instance named '${name}' was found.`);
      expect(logger.messages('Information')).to.include(`Stopping Kestrun server '${name}' ...`);
    });

    it('with noWait resolves without waiting for requests in flight', async () => {
      const url = await start();
      const inFlight = fetchUrl(`${url}/slow`);
      await entered.promise;
      // Resolving here, with /slow still held, proves noWait did not wait for the graceful stop.
      await stopKrServer({ server: name, noWait: true, quiet: true });
      release.resolve();
      expect((await inFlight).body).to.equal('finished');
    });

    it("prints Kestrun's message unless quiet", async () => {
      await start();
      const { stdout } = await captureOutput(() => stopKrServer({ server: name }));
      expect(stdout).to.equal('Stopping Kestrun server...\n');
    });

    it('prints nothing when quiet', async () => {
      await start();
      const { stdout } = await captureOutput(() => stopKrServer({ server: name, quiet: true }));
      expect(stdout).to.equal('');
    });

    it('stops the default server when none is named', async () => {
      const url = await start();
      await stopKrServer({ quiet: true });
      expect(await connectOutcome(`${url}/hello`)).to.equal('ECONNREFUSED');
    });

    it('forgets a server that was defined but never started', async () => {
      await stopKrServer({ server: name, quiet: true });
      expect(() => listeningUrls(name)).to.throw(/No Kestrun server instance named/);
    });

    it('a second stop finds no server', async () => {
      await start();
      await stopKrServer({ server: name, quiet: true });
      await expectCmdletRejection(
        () => stopKrServer({ server: name, quiet: true }),
        `Stop-KrServer: No Kestrun server instance named '${name}' was found.`,
      );
    });

    it('ends a blocking Start-KrServer', async () => {
      const running = startKrServer({ server: name, quiet: true });
      await logger.listeningUrl();
      await stopKrServer({ server: name, quiet: true });
      expect(await running).to.equal(undefined);
    });
  });

  describe('inside a route', () => {
    it("answers 202 'Server is stopping...' as text, then stops the server that handles the request", async () => {
      const running = startKrServer({ server: name, quiet: true });
      const url = await logger.listeningUrl();
      const response = await fetchUrl(`${url}/shutdown`);
      expect(response.status).to.equal(202);
      expect(response.body).to.equal('Server is stopping...');
      expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
      // The blocking start resolves when the server has stopped: the signal that the route's stop took effect.
      await running;
      expect(await connectOutcome(`${url}/hello`)).to.equal('ECONNREFUSED');
    });
  });

  describe('bad input', () => {
    it('rejects an unknown server', async () => {
      await expectCmdletRejection(
        () => stopKrServer({ server: 'no-such-server' }),
        "Stop-KrServer: No Kestrun server instance named 'no-such-server' was found.",
      );
    });

    it('rejects an unknown parameter, naming it, and stops nothing', async () => {
      const url = await start();
      await expectCmdletRejection(
        () => stopKrServer({ server: name, force: true } as Parameters<typeof stopKrServer>[0]),
        "Stop-KrServer: A parameter cannot be found that matches parameter name 'force'.",
      );
      expect((await fetchUrl(`${url}/hello`)).status).to.equal(200);
    });

    it('rejects noWait given as text', async () => {
      const error = await expectCmdletRejection(
        () => stopKrServer({ server: name, noWait: 'no' as unknown as boolean }),
        /^Stop-KrServer: Cannot process argument transformation on parameter 'NoWait'\./,
      );
      expect(error).to.be.instanceOf(KrParameterBindingError);
    });
  });
});

/** Sends one request on a keep-alive agent and hands back its socket once the response is read and the socket idles. */
function idleKeepAliveSocket(url: string, agent: Agent): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const request = get(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => {
        const socket = request.socket;
        if (socket === null) reject(new Error('the request has no socket'));
        // The agent parks the socket once the response has ended: then it carries no request.
        else agent.once('free', () => resolve(socket));
      });
    });
    request.on('error', reject);
  });
}
