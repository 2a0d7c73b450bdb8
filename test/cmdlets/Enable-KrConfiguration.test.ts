import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  addKrEndpoint,
  addKrMapRoute,
  enableKrConfiguration,
  KrParameterBindingError,
  listeningUrls,
  newKrServer,
  startKrServer,
  writeKrTextResponse,
} from '../../src/index.ts';
import type { ServerDefinition } from '../../src/index.ts';
import { CaptureLogger } from '../support/capture-logger.ts';
import { captureOutput, connectOutcome, expectCmdletError, removeServer } from '../support/cmdlet-helpers.ts';
import { freePort } from '../support/free-port.ts';
import { fetchUrl } from '../support/https-client.ts';

describe('Enable-KrConfiguration (enableKrConfiguration)', () => {
  const logger = new CaptureLogger();
  let name = '';
  let server: ServerDefinition;

  beforeEach(() => {
    name = `enable-kr-configuration-${randomUUID()}`;
    server = newKrServer({ name, logger, default: true });
  });

  afterEach(async () => {
    await removeServer(name);
  });

  it("prints Kestrun's confirmation with the server name", async () => {
    const { stdout } = await captureOutput(() => enableKrConfiguration());
    expect(stdout).to.equal(`Kestrun server configuration enabled successfully.\nServer Name: ${name}\n`);
  });

  it('prints nothing when quiet', async () => {
    const { stdout } = await captureOutput(() => enableKrConfiguration({ quiet: true }));
    expect(stdout).to.equal('');
  });

  it('a second call does nothing: no second confirmation, no error', async () => {
    enableKrConfiguration({ quiet: true });
    const { stdout, result } = await captureOutput(() => enableKrConfiguration());
    expect(stdout).to.equal('');
    expect(result.name).to.equal(name);
  });

  it('returns the current definition', () => {
    const withEndpoint = addKrEndpoint({ port: 0 });
    expect(enableKrConfiguration({ quiet: true })).to.equal(withEndpoint);
  });

  it('logs that the server is configured (Debug)', () => {
    enableKrConfiguration({ quiet: true });
    expect(logger.messages('Debug')).to.include(`Server '${name}' configured.`);
  });

  it('ends the definition phase: Add-KrEndpoint afterwards throws', () => {
    enableKrConfiguration({ quiet: true });
    expectCmdletError(
      () => addKrEndpoint({ port: 0 }),
      'Add-KrEndpoint: Cannot add endpoint to a server that is already configured. Please create a new server instance.',
    );
  });

  it('does not listen yet: that is what Start-KrServer does', async () => {
    const port = await freePort();
    addKrEndpoint({ port });
    enableKrConfiguration({ quiet: true });
    expect(await connectOutcome(`http://127.0.0.1:${port}/`)).to.equal('ECONNREFUSED');
    expect(listeningUrls(name)).to.deep.equal([]);
  });

  it('serves routes added before and after it once started', async () => {
    addKrEndpoint({ port: 0 });
    addKrMapRoute({ path: '/before', scriptBlock: () => writeKrTextResponse({ inputObject: 'before' }) });
    enableKrConfiguration({ quiet: true });
    addKrMapRoute({ path: '/after', scriptBlock: () => writeKrTextResponse({ inputObject: 'after' }) });
    await startKrServer({ server: name, noWait: true, quiet: true });
    const [url] = listeningUrls(name);
    expect((await fetchUrl(`${url}/before`)).body).to.equal('before');
    expect((await fetchUrl(`${url}/after`)).body).to.equal('after');
  });

  describe('server', () => {
    let other = '';

    beforeEach(() => {
      // Made second and not the default, so only an explicit server reaches it.
      other = `enable-kr-configuration-other-${randomUUID()}`;
      newKrServer({ name: other, logger });
    });

    afterEach(async () => {
      await removeServer(other);
    });

    it('configures the named server, by name in any case, and not the default', () => {
      enableKrConfiguration({ server: other.toUpperCase(), quiet: true });
      expect(() => addKrEndpoint({ port: 0 })).not.to.throw();
      expect(logger.messages('Debug')).to.include(`Server '${other}' configured.`);
      expect(logger.messages('Debug')).not.to.include(`Server '${name}' configured.`);
    });

    it('accepts any earlier version of the definition', () => {
      const oldVersion = server;
      addKrEndpoint({ port: 0 });
      expect(enableKrConfiguration({ server: oldVersion, quiet: true }).endpoints).to.have.length(1);
    });

    it('rejects an unknown server name', () => {
      const error = expectCmdletError(
        () => enableKrConfiguration({ server: 'no-such-server', quiet: true }),
        "Enable-KrConfiguration: No Kestrun server instance named 'no-such-server' was found.",
      );
      expect(error.parameter).to.equal('Server');
    });

    it('rejects something that is not a server', () => {
      expect(() => enableKrConfiguration({ server: 42 as unknown as string })).to.throw(
        KrParameterBindingError,
        'Enable-KrConfiguration: Cannot bind parameter \'Server\'. Cannot convert the "42" value of type "System.Int32" to type "Kestrun.Hosting.KestrunHost".',
      );
    });
  });

  describe('bad input', () => {
    it('accepts excludeVariables and excludeFunctions as one name or a list (closures have nothing to exclude)', () => {
      expect(() => enableKrConfiguration({ excludeVariables: 'secret', excludeFunctions: ['Get-*', 'Helper'], quiet: true })).not.to.throw();
    });

    it('rejects non-string names in excludeVariables', () => {
      expect(() => enableKrConfiguration({ excludeVariables: [{}] as unknown as string[] })).to.throw(
        KrParameterBindingError,
        /'ExcludeVariables'/,
      );
    });

    it('rejects an unknown parameter, naming it, and configures nothing', () => {
      expect(() => enableKrConfiguration({ force: true } as Parameters<typeof enableKrConfiguration>[0])).to.throw(
        KrParameterBindingError,
        "Enable-KrConfiguration: A parameter cannot be found that matches parameter name 'force'.",
      );
      expect(() => addKrEndpoint({ port: 0 })).not.to.throw();
    });

    it('rejects quiet given as text', () => {
      expect(() => enableKrConfiguration({ quiet: 'yes' as unknown as boolean })).to.throw(
        KrParameterBindingError,
        /parameter 'Quiet'/,
      );
    });
  });
});
