import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { expect } from 'chai';
import {
  addKrEndpoint,
  addKrMapRoute,
  closeKrLogger,
  KrParameterBindingError,
  listeningUrls,
  newKrLogger,
  newKrServer,
  startKrServer,
  stopKrServer,
  writeKrTextResponse,
} from '../../src/index.ts';
import type { ServerDefinition } from '../../src/index.ts';
import {
  captureOutput,
  connectOutcome,
  expectCmdletRejection,
  nextTurn,
  removeServer,
  SignalLogger,
} from '../support/cmdlet-helpers.ts';
import { freePort } from '../support/free-port.ts';
import { fetchUrl } from '../support/https-client.ts';

describe('Start-KrServer (startKrServer)', () => {
  let logger: SignalLogger;
  let name = '';

  beforeEach(() => {
    name = `start-kr-server-${randomUUID()}`;
    logger = new SignalLogger();
    newKrServer({ name, logger, default: true });
  });

  afterEach(async () => {
    await removeServer(name);
  });

  function defineHello(): void {
    addKrEndpoint({ port: 0 });
    addKrMapRoute({ path: '/hello', scriptBlock: () => writeKrTextResponse({ inputObject: 'hello' }) });
  }

  it('configures the server itself when Enable-KrConfiguration was never called', async () => {
    defineHello();
    await startKrServer({ noWait: true, quiet: true });
    const [url] = listeningUrls(name);
    const response = await fetchUrl(`${url}/hello`);
    expect(response.status).to.equal(200);
    expect(response.body).to.equal('hello');
    expect(logger.messages('Debug')).to.include(`Server '${name}' configured.`);
  });

  it('with noWait resolves once listening, to nothing, or to the definition with passThru', async () => {
    defineHello();
    const definition: ServerDefinition | undefined = await startKrServer({ noWait: true, passThru: true, quiet: true });
    expect(definition?.name).to.equal(name);
    expect(listeningUrls(name)).to.have.length(1);
  });

  it('with noWait and no passThru resolves to nothing', async () => {
    defineHello();
    expect(await startKrServer({ noWait: true, quiet: true })).to.equal(undefined);
  });

  it('without noWait resolves only when the server has stopped', async () => {
    defineHello();
    let settled = false;
    const running = startKrServer({ quiet: true, passThru: true }).then((result) => {
      settled = true;
      return result;
    });
    const url = await logger.listeningUrl();
    // A full request round trip: had the start promise resolved on listening, it would have settled by now.
    expect((await fetchUrl(`${url}/hello`)).status).to.equal(200);
    expect(settled).to.equal(false);
    await stopKrServer({ server: name, quiet: true });
    // passThru only applies with noWait, as in Kestrun.
    expect(await running).to.equal(undefined);
  });

  it('logs the start and one line per endpoint', async () => {
    addKrEndpoint({ port: 0 });
    addKrEndpoint({ port: 0 });
    await startKrServer({ noWait: true, quiet: true });
    const urls = listeningUrls(name);
    const info = logger.messages('Information');
    expect(info).to.include(`Starting Kestrun server '${name}' ...`);
    expect(info.filter((message) => message.startsWith('Now listening on: '))).to.deep.equal(
      urls.map((url) => `Now listening on: ${url}`),
    );
    expect(urls).to.have.length(2);
  });

  it("prints Kestrun's banner unless quiet", async () => {
    addKrEndpoint({ port: 0 });
    const { stdout } = await captureOutput(() => startKrServer({ noWait: true }));
    const [url] = listeningUrls(name);
    expect(stdout).to.equal(
      [
        `Starting Kestrun server '${name}' ...`,
        'Kestrun server started successfully.',
        `Listening on ${url} with protocols: Http1`,
        'No certificate configured. Running in HTTP mode.',
        'Press Ctrl+C to stop the server.',
        '',
      ].join('\n'),
    );
    // The start remembers it was not quiet: the stop is announced too.
    const stopped = await captureOutput(() => removeServer(name));
    expect(stopped.stdout).to.equal('Kestrun server stopped.\n');
  });

  it('prints its banner after the console log lines logged before it, not ahead of them', async () => {
    const consoleLogger = newKrLogger().addKrSinkConsole().registerKrLogger({ name: `${name}-console`, passThru: true });
    await removeServer(name);
    newKrServer({ name, logger: consoleLogger, default: true });
    addKrEndpoint({ port: 0 });
    try {
      const { stdout } = await captureOutput(() => startKrServer({ noWait: true }));
      const lines = stdout.split('\n').map((line) => line.replace(/^\[\d\d:\d\d:\d\d (\w{3})\]/, '[$1]'));
      const [url] = listeningUrls(name);
      const expectedOrder = [`[INF] Starting Kestrun server '${name}' ...`, `[INF] Now listening on: ${url}`, 'Kestrun server started successfully.'];
      const positions = expectedOrder.map((line) => lines.indexOf(line));
      expect(positions, stdout).not.to.include(-1);
      expect(positions, stdout).to.deep.equal([...positions].sort((left, right) => left - right));
      await captureOutput(() => removeServer(name));
    } finally {
      await consoleLogger?.close();
    }
  });

  it('prints nothing when quiet', async () => {
    addKrEndpoint({ port: 0 });
    const { stdout } = await captureOutput(() => startKrServer({ noWait: true, quiet: true }));
    expect(stdout).to.equal('');
  });

  it('names the certificate in the banner for a TLS endpoint', async () => {
    addKrEndpoint({ port: 0, selfSignedCert: true });
    const { stdout } = await captureOutput(() => startKrServer({ noWait: true }));
    expect(stdout).to.match(/Listening on https:\/\/127\.0\.0\.1:\d+ with protocols: Http1AndHttp2\nUsing certificate: CN=localhost\n/);
    await captureOutput(() => removeServer(name));
  });

  it('refuses to start a running server', async () => {
    defineHello();
    await startKrServer({ noWait: true, quiet: true });
    await expectCmdletRejection(
      () => startKrServer({ noWait: true, quiet: true }),
      `Start-KrServer: Server '${name}' is already running.`,
    );
    // The running server is unaffected.
    expect((await fetchUrl(`${listeningUrls(name)[0]}/hello`)).status).to.equal(200);
  });

  it('cannot start a stopped server again: it is gone from the registry', async () => {
    defineHello();
    await startKrServer({ noWait: true, quiet: true });
    await stopKrServer({ server: name, quiet: true });
    await expectCmdletRejection(
      () => startKrServer({ server: name, noWait: true, quiet: true }),
      `Start-KrServer: No Kestrun server instance named '${name}' was found.`,
    );
  });

  describe('when the port is in use', () => {
    let occupant: Server | undefined;

    afterEach(async () => {
      await new Promise<void>((resolve) => (occupant === undefined ? resolve() : occupant.close(() => resolve())));
      occupant = undefined;
    });

    it('rejects with the bind error, logs it, and forgets the server', async () => {
      // A plain socket holds the port, so the default server stays the one this test defines.
      const holder = createServer();
      occupant = holder;
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      const address = holder.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      addKrEndpoint({ port });
      const error = await expectCmdletRejection(
        () => startKrServer({ noWait: true, quiet: true }),
        new RegExp(`^Start-KrServer: Failed to start Kestrun server '${name}'\\. listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port}$`),
      );
      expect(error.cause).to.have.property('code', 'EADDRINUSE');
      const logged = logger.events.find((event) => event.level === 'Error');
      expect(logged?.message).to.match(/^Failed to start Kestrun server '.*'\. listen EADDRINUSE/);
      expect(logged?.error).to.be.instanceOf(Error);
      expect(() => listeningUrls(name)).to.throw(/No Kestrun server instance named/);
    });

    it('releases the endpoints it did bind before the failing one', async () => {
      const holder = createServer();
      occupant = holder;
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      const address = holder.address();
      const busyPort = typeof address === 'object' && address !== null ? address.port : 0;
      const freeFirst = await freePort();
      addKrEndpoint({ port: freeFirst });
      addKrEndpoint({ port: busyPort });
      await expectCmdletRejection(() => startKrServer({ noWait: true, quiet: true }), /EADDRINUSE/);
      // The first listener was opened and must have been closed again.
      expect(await connectOutcome(`http://127.0.0.1:${freeFirst}/`)).to.equal('ECONNREFUSED');
    });
  });

  describe('bad input', () => {
    it('rejects an unknown server', async () => {
      await expectCmdletRejection(
        () => startKrServer({ server: 'no-such-server', quiet: true }),
        "Start-KrServer: No Kestrun server instance named 'no-such-server' was found.",
      );
    });

    it('rejects an unknown parameter, naming it', async () => {
      await expectCmdletRejection(
        () => startKrServer({ port: 5000 } as Parameters<typeof startKrServer>[0]),
        "Start-KrServer: A parameter cannot be found that matches parameter name 'port'.",
      );
    });

    it('rejects noWait given as text, and starts nothing', async () => {
      addKrEndpoint({ port: 0 });
      await expectCmdletRejection(() => startKrServer({ noWait: 'true' as unknown as boolean }), /parameter 'NoWait'/);
      expect(listeningUrls(name)).to.deep.equal([]);
    });

    it('rejects a server that is not a server reference', async () => {
      const error = await expectCmdletRejection(
        () => startKrServer({ server: {} as ServerDefinition }),
        'Start-KrServer: Cannot bind parameter \'Server\'. Cannot convert the "Object" value of type "Object" to type "Kestrun.Hosting.KestrunHost".',
      );
      expect(error).to.be.instanceOf(KrParameterBindingError);
    });
  });

  describe('closeLogsOnExit', () => {
    after(async () => {
      await closeKrLogger();
    });

    it('closes every registered logger once the server has stopped', async () => {
      const registered = newKrLogger().addKrSinkConsole().registerKrLogger({ name: `start-close-${randomUUID()}`, passThru: true });
      defineHello();
      const running = startKrServer({ quiet: true, closeLogsOnExit: true });
      await logger.listeningUrl();
      expect(registered?.isEnabled('Information')).to.equal(true);
      await stopKrServer({ server: name, quiet: true });
      await running;
      // The close runs as the stop completes; one turn lets its promise chain finish.
      await nextTurn();
      expect(registered?.isEnabled('Information')).to.equal(false);
    });
  });
});
