import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import {
  addKrDistributedRedisCache,
  addKrMapRoute,
  addKrSession,
  enableKrConfiguration,
  getKrSessionInt32,
  getKrSessionString,
  KrCmdletError,
  newKrCookieBuilder,
  newKrServer,
  setKrSessionInt32,
  setKrSessionString,
  stopKrServer,
  writeKrJsonResponse,
} from '../../src/index.ts';
import type { KrSessionOptions, ServerDefinition } from '../../src/index.ts';
import { sessionCookieBuilder } from '../../src/runtime/cookies/cookie-builder.ts';
import { CaptureLogger } from '../support/capture-logger.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';

type AddKrSessionInput = NonNullable<Parameters<typeof addKrSession>[0]>;

/** The error a call throws, asserting that it is a cmdlet error. */
function errorOf(run: () => unknown): KrCmdletError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(KrCmdletError);
    return error as KrCmdletError;
  }
  expect.fail('expected the call to throw');
}

/** Routes that write and read an Int32 and a string, to see a session configuration at work. */
function sessionRoutes(): void {
  addKrMapRoute({
    path: '/write',
    scriptBlock: async () => {
      await setKrSessionInt32({ key: 'n', value: 1 });
      await setKrSessionString({ key: 'pad', value: 'x'.repeat(40) });
    },
  });
  addKrMapRoute({
    path: '/small',
    scriptBlock: async () => {
      await setKrSessionInt32({ key: 'n', value: 1 });
    },
  });
  addKrMapRoute({
    path: '/read',
    scriptBlock: async () => {
      writeKrJsonResponse({ inputObject: { n: await getKrSessionInt32({ key: 'n' }), pad: await getKrSessionString({ key: 'pad' }) } });
    },
  });
}

describe('Add-KrSession', () => {
  describe('definition', () => {
    let name: string;

    beforeEach(() => {
      name = `add-session-${randomUUID()}`;
      newKrServer({ name, logger: new CaptureLogger(), default: true });
    });

    afterEach(async () => {
      await stopKrServer({ server: name, quiet: true });
    });

    it('applies ASP.NET Core SessionOptions defaults and adds the implicit in-memory cache', () => {
      const definition = addKrSession();
      expect(definition.session).to.deep.equal({
        cookie: sessionCookieBuilder,
        idleTimeoutMs: 20 * 60_000,
        ioTimeoutMs: 60_000,
        storeErrorMode: 'Fail',
        protectionKeys: [],
        trustProxy: false,
      });
      expect(definition.session?.cookie).to.include({
        name: '.AspNetCore.Session',
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        securePolicy: 'None',
        isEssential: false,
      });
      expect(definition.cache).to.deep.equal({ kind: 'memory', options: {}, implicit: true });
    });

    it('returns the new frozen definition, which the server now holds', () => {
      const definition = addKrSession({ passThru: true });
      expect(definition.kind).to.equal('KrServer');
      expect(definition.name).to.equal(name);
      expect(Object.isFrozen(definition)).to.equal(true);
      expect(Object.isFrozen(definition.session)).to.equal(true);
      // A second call sees the first one's session: the registry points at the returned definition.
      expect(() => addKrSession()).to.throw(KrCmdletError);
    });

    it('takes idleTimeout and ioTimeout in whole seconds', () => {
      const definition = addKrSession({ idleTimeout: 20, ioTimeout: 10 });
      expect(definition.session).to.include({ idleTimeoutMs: 20_000, ioTimeoutMs: 10_000 });
    });

    it('converts timeouts as PowerShell casts to [int]: numeric strings, fractions rounded to even', () => {
      expect(addKrSession({ idleTimeout: '30' as unknown as number, ioTimeout: 2.5 }).session).to.include({
        idleTimeoutMs: 30_000,
        ioTimeoutMs: 2_000,
      });
    });

    for (const [parameter, psName] of [
      ['idleTimeout', 'IdleTimeout'],
      ['ioTimeout', 'IOTimeout'],
    ] as const) {
      for (const value of [0, -1, 0.4]) {
        it(`refuses ${parameter} ${value}: at least 1 second`, () => {
          const error = errorOf(() => addKrSession({ [parameter]: value }));
          expect(error.message).to.equal(
            `Add-KrSession: Cannot validate argument on parameter '${psName}'. The ${Math.round(value)} argument is less than the minimum allowed range of 1.`,
          );
          expect(error.parameter).to.equal(psName);
        });
      }

      it(`refuses a non-numeric ${parameter}`, () => {
        const error = errorOf(() => addKrSession({ [parameter]: 'soon' } as unknown as AddKrSessionInput));
        expect(error.message).to.match(new RegExp(`^Add-KrSession: Cannot process argument transformation on parameter '${psName}'`));
      });

      it(`refuses ${parameter} beyond Int32`, () => {
        expect(errorOf(() => addKrSession({ [parameter]: 2 ** 31 })).message).to.include('too large or too small for an Int32');
      });
    }

    it('uses the given cookie builder in place of the session defaults', () => {
      const cookie = newKrCookieBuilder({ name: 'Kr.Session', httpOnly: true, sameSite: 'Lax', securePolicy: 'Always' });
      expect(addKrSession({ cookie }).session?.cookie).to.equal(cookie);
    });

    it('refuses a cookie builder without a name, which would break every request', () => {
      const error = errorOf(() => addKrSession({ cookie: newKrCookieBuilder({ httpOnly: true }) }));
      expect(error.message).to.equal('Add-KrSession: The session cookie has no name: pass name to New-KrCookieBuilder.');
      expect(error.parameter).to.equal('Cookie');
    });

    it('refuses a cookie that is not a cookie builder', () => {
      const error = errorOf(() => addKrSession({ cookie: { name: 'x' } as unknown as AddKrSessionInput['cookie'] }));
      expect(error.message).to.match(/^Add-KrSession: Cannot bind parameter 'Cookie'/);
    });

    describe('the options parameter set', () => {
      it('takes cookie, idleTimeout and ioTimeout from a SessionOptions-shaped object', () => {
        const cookie = newKrCookieBuilder({ name: 'Opt' });
        const definition = addKrSession({ options: { cookie, idleTimeout: 30, ioTimeout: 5 } });
        expect(definition.session).to.include({ cookie, idleTimeoutMs: 30_000, ioTimeoutMs: 5_000 });
      });

      it('takes TimeSpan strings, as SessionOptions holds TimeSpans', () => {
        const definition = addKrSession({ options: { idleTimeout: '00:30:00', ioTimeout: '1m' } });
        expect(definition.session).to.include({ idleTimeoutMs: 30 * 60_000, ioTimeoutMs: 60_000 });
      });

      it('keeps the defaults for what the object leaves out', () => {
        expect(addKrSession({ options: {} }).session).to.include({ cookie: sessionCookieBuilder, idleTimeoutMs: 1_200_000, ioTimeoutMs: 60_000 });
      });

      it('reads property names case-insensitively, as PowerShell does, instead of ignoring them', () => {
        const options = { IdleTimeout: 30, IOTimeout: 7 } as unknown as KrSessionOptions;
        expect(addKrSession({ options }).session).to.include({ idleTimeoutMs: 30_000, ioTimeoutMs: 7_000 });
      });

      it('refuses the same property twice in different spellings', () => {
        const options = { idleTimeout: 30, IdleTimeout: 40 } as unknown as KrSessionOptions;
        const error = errorOf(() => addKrSession({ options }));
        expect(error.message).to.include("options sets 'idleTimeout' more than once");
      });

      it('refuses timeouts under 1 second and text that is no TimeSpan', () => {
        expect(errorOf(() => addKrSession({ options: { idleTimeout: 0.5 } })).message).to.equal(
          'Add-KrSession: The session IdleTimeout must be at least 1 second.',
        );
        expect(errorOf(() => addKrSession({ options: { ioTimeout: '00:00:00' } })).message).to.equal(
          'Add-KrSession: The session IOTimeout must be at least 1 second.',
        );
        expect(errorOf(() => addKrSession({ options: { idleTimeout: 'later' } })).message).to.match(/^Add-KrSession: Invalid TimeSpan format/);
      });

      it('refuses unknown properties and a cookie that is no cookie builder', () => {
        expect(errorOf(() => addKrSession({ options: { idle: 5 } as unknown as KrSessionOptions })).message).to.match(
          /^Add-KrSession: Cannot bind parameter 'Options'/,
        );
        expect(errorOf(() => addKrSession({ options: { cookie: 'Kr.Session' } as unknown as KrSessionOptions })).parameter).to.equal('Options');
      });

      it('cannot be mixed with the Items parameters', () => {
        const error = errorOf(() => addKrSession({ options: {}, idleTimeout: 5 }));
        expect(error.message).to.include('Parameter set cannot be resolved');
      });
    });

    describe('the distributed cache', () => {
      it('adds no cache with noDistributedMemoryCache', () => {
        expect(addKrSession({ noDistributedMemoryCache: true }).cache).to.equal(undefined);
      });

      it('fails configuration when noDistributedMemoryCache leaves the session without any cache', () => {
        addKrSession({ noDistributedMemoryCache: true });
        const error = errorOf(() => enableKrConfiguration({ server: name, quiet: true }));
        expect(error.message).to.match(/^Enable-KrConfiguration: Failed to apply configuration\. Server '.+' has sessions but no distributed cache/);
      });

      it('keeps a Redis cache registered before it', () => {
        addKrDistributedRedisCache({ configuration: '127.0.0.1:6379', instanceName: 'app:' });
        const definition = addKrSession();
        expect(definition.cache).to.deep.include({ kind: 'redis', instanceName: 'app:' });
      });

      it('lets a Redis cache registered after it replace the implicit memory cache', () => {
        addKrSession();
        const definition = addKrDistributedRedisCache({ configuration: '127.0.0.1:6379' });
        expect(definition.cache?.kind).to.equal('redis');
        expect(definition.session).to.not.equal(undefined);
      });

      it('passes memoryCacheOptions to the in-memory cache', () => {
        const definition = addKrSession({ memoryCacheOptions: { sizeLimit: 1024, compactionPercentage: 0.5, expirationScanFrequencyMs: 1000 } });
        expect(definition.cache).to.deep.equal({
          kind: 'memory',
          options: { sizeLimit: 1024, compactionPercentage: 0.5, expirationScanFrequencyMs: 1000 },
          implicit: true,
        });
      });

      it('refuses memoryCacheOptions the cache cannot use when it is called, not when the server starts', () => {
        for (const [options, fragment] of [
          [{ sizeLimit: 0 }, 'sizeLimit must be a positive number'],
          [{ compactionPercentage: 1.5 }, 'compactionPercentage must be between 0 and 1'],
          [{ expirationScanFrequencyMs: 0 }, 'expirationScanFrequencyMs must be between 1'],
        ] as const) {
          const error = errorOf(() => addKrSession({ memoryCacheOptions: options }));
          expect(error.message, fragment).to.match(new RegExp(`^Add-KrSession: ${fragment}`));
          expect(error.parameter).to.equal('MemoryCacheOptions');
        }
        expect(errorOf(() => addKrSession({ memoryCacheOptions: { SizeLimit: 5 } as unknown as { sizeLimit: number } })).parameter).to.equal(
          'MemoryCacheOptions',
        );
      });
    });

    describe('our additions', () => {
      it('takes storeErrorMode Fail or Degrade, case-insensitively', () => {
        expect(addKrSession({ storeErrorMode: 'degrade' }).session?.storeErrorMode).to.equal('Degrade');
      });

      it('refuses any other storeErrorMode, listing the valid ones', () => {
        const error = errorOf(() => addKrSession({ storeErrorMode: 'Ignore' }));
        expect(error.message).to.match(/^Add-KrSession: Cannot bind parameter 'StoreErrorMode'/);
        expect(error.message).to.include('Fail, Degrade');
      });

      it('takes trustProxy as a switch', () => {
        expect(addKrSession({ trustProxy: true }).session?.trustProxy).to.equal(true);
      });

      it('takes protectionKeys as one secret or several, newest first', () => {
        expect(addKrSession({ protectionKeys: 'only secret, at least 32 characters long' }).session?.protectionKeys).to.deep.equal(['only secret, at least 32 characters long']);
      });

      it('refuses a protection key shorter than 32 characters, naming the parameter', () => {
        const error = errorOf(() => addKrSession({ protectionKeys: ['long enough secret, over 32 characters', 'short'] }));
        expect(error.message).to.equal(
          "Add-KrSession: Each protection key must be at least 32 characters long (one has 5); use a random secret.",
        );
        expect(error.parameter).to.equal('ProtectionKeys');
      });

      it('keeps several protectionKeys in order', () => {
        expect(addKrSession({ protectionKeys: ['new secret, at least 32 characters long', 'old secret, at least 32 characters long'] }).session?.protectionKeys).to.deep.equal(['new secret, at least 32 characters long', 'old secret, at least 32 characters long']);
      });
    });

    describe('guards', () => {
      it('refuses a second session configuration with ASP.NET Core\'s message and keeps the first', () => {
        addKrSession({ idleTimeout: 5 });
        const error = errorOf(() => addKrSession({ idleTimeout: 9 }));
        expect(error.message).to.equal(
          'Add-KrSession: Session services are already registered. Only one session configuration can be registered per host.',
        );
        expect(errorOf(() => addKrSession()).message).to.include('already registered');
        expect(addKrMapRoute({ path: '/x', scriptBlock: () => {} }).session?.idleTimeoutMs).to.equal(5000);
      });

      it('refuses to change a server that is already configured', () => {
        enableKrConfiguration({ quiet: true });
        const error = errorOf(() => addKrSession());
        expect(error.message).to.match(/^Add-KrSession: Server '.+' is already configured; Add-KrSession must be called before Enable-KrConfiguration/);
      });

      it('acts on the server it is given by name or definition rather than the default one', async () => {
        const otherName = `add-session-other-${randomUUID()}`;
        const other: ServerDefinition = newKrServer({ name: otherName, logger: new CaptureLogger() });
        try {
          newKrServer({ name: `${name}-default`, logger: new CaptureLogger(), default: true });
          expect(addKrSession({ server: otherName }).name).to.equal(otherName);
          expect(addKrSession({ server: name, idleTimeout: 3 }).session?.idleTimeoutMs).to.equal(3000);
          expect(errorOf(() => addKrSession({ server: other })).message).to.include('already registered');
        } finally {
          await Promise.all([stopKrServer({ server: otherName, quiet: true }), stopKrServer({ server: `${name}-default`, quiet: true })]);
        }
      });

      it('refuses a server name that does not exist', () => {
        const error = errorOf(() => addKrSession({ server: 'no-such-server-anywhere' }));
        expect(error.message).to.equal("Add-KrSession: No Kestrun server instance named 'no-such-server-anywhere' was found.");
      });
    });
  });

  describe('at work', () => {
    const servers: InProcessServer[] = [];

    afterEach(async () => {
      await Promise.all(servers.splice(0).map((server) => server.stop()));
    });

    async function serve(define: () => void): Promise<InProcessServer> {
      const server = await startInProcess(() => {
        define();
        sessionRoutes();
      });
      servers.push(server);
      return server;
    }

    it('issues the default cookie: .AspNetCore.Session, path /, Lax, HttpOnly, never Secure, no expiry', async () => {
      const server = await serve(() => addKrSession());
      const response = await fetchUrl(`${server.url}/write`);
      expect(response.setCookies).to.have.length(1);
      expect(response.setCookies[0]).to.match(/^\.AspNetCore\.Session=[^;]+; path=\/; samesite=lax; httponly$/);
    });

    it('keeps a client\'s values across requests and apart from another client\'s', async () => {
      const server = await serve(() => addKrSession());
      const alice = new CookieJar();
      await fetchUrl(`${server.url}/write`, { jar: alice });
      expect((await fetchUrl(`${server.url}/read`, { jar: alice })).json()).to.deep.equal({ n: 1, pad: 'x'.repeat(40) });
      expect((await fetchUrl(`${server.url}/read`, { jar: new CookieJar() })).json()).to.deep.equal({ n: null, pad: null });
    });

    it('sizes the in-memory cache by memoryCacheOptions: a session over sizeLimit is not kept', async () => {
      // A 20-byte header plus n (11 bytes) fits 64 bytes; adding a 40-character string does not.
      const server = await serve(() => addKrSession({ memoryCacheOptions: { sizeLimit: 64 } }));
      const small = new CookieJar();
      await fetchUrl(`${server.url}/small`, { jar: small });
      expect((await fetchUrl(`${server.url}/read`, { jar: small })).json()).to.deep.equal({ n: 1, pad: null });
      const large = new CookieJar();
      expect((await fetchUrl(`${server.url}/write`, { jar: large })).status).to.equal(200);
      expect((await fetchUrl(`${server.url}/read`, { jar: large })).json()).to.deep.equal({ n: null, pad: null });
    });

    it('lets servers with the same protectionKeys accept each other\'s cookies', async () => {
      const first = await serve(() => addKrSession({ protectionKeys: ['shared secret, at least 32 characters long'] }));
      const second = await serve(() => addKrSession({ protectionKeys: ['rotated secret, at least 32 characters long', 'shared secret, at least 32 characters long'] }));
      const stranger = await serve(() => addKrSession({ protectionKeys: ['another secret, at least 32 characters long'] }));
      const jar = new CookieJar();
      await fetchUrl(`${first.url}/write`, { jar });
      // Each server has its own memory cache, so the data is not there, but the cookie verifies: no warning.
      await fetchUrl(`${second.url}/read`, { jar });
      expect(second.logger.messages('Warning')).to.deep.equal([]);
      expect(second.logger.messages('Information').some((message) => message.startsWith('Accessing expired session'))).to.equal(true);
      await fetchUrl(`${stranger.url}/read`, { jar });
      expect(stranger.logger.messages('Warning').some((message) => message.includes('Error unprotecting the session cookie'))).to.equal(true);
    });

    it('treats X-Forwarded-Proto as the scheme only with trustProxy', async () => {
      const cookie = newKrCookieBuilder({ name: 'S', securePolicy: 'SameAsRequest' });
      const trusting = await serve(() => addKrSession({ cookie, trustProxy: true }));
      const plain = await serve(() => addKrSession({ cookie }));
      const headers = { 'x-forwarded-proto': 'https' };
      expect((await fetchUrl(`${trusting.url}/write`, { headers })).setCookies[0]).to.include('; secure');
      expect((await fetchUrl(`${plain.url}/write`, { headers })).setCookies[0]).to.not.include('; secure');
    });
  });
});
