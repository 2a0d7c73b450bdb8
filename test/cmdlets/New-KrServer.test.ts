import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  addKrEndpoint,
  addKrMapRoute,
  closeKrLogger,
  KrCmdletError,
  KrParameterBindingError,
  newKrLogger,
  newKrServer,
  writeKrTextResponse,
} from '../../src/index.ts';
import type { KrLogger, ServerDefinition } from '../../src/index.ts';
import { CaptureLogger } from '../support/capture-logger.ts';
import { connectOutcome, expectCmdletError, removeServer } from '../support/cmdlet-helpers.ts';
import { fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a few lines of script in a fresh process, where the host registry starts empty. */
function runIsolated(script: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, timeout: 20_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim())),
    );
  });
}

describe('New-KrServer (newKrServer)', () => {
  const names: string[] = [];
  const logger = new CaptureLogger();

  /** Every server made here is the default while the test uses it, and is removed afterwards. */
  function create(input: Omit<Parameters<typeof newKrServer>[0], 'name'> & { name?: string } = {}): ServerDefinition {
    const name = input.name ?? `new-kr-server-${randomUUID()}`;
    const definition = newKrServer({ logger, default: true, ...input, name });
    names.push(definition.name);
    return definition;
  }

  afterEach(async () => {
    for (const name of names.splice(0)) await removeServer(name);
  });

  it('returns a frozen definition: the name, an environment, its logger, and nothing else yet', () => {
    const definition = create({ name: `fresh-${randomUUID()}` });
    expect(definition.kind).to.equal('KrServer');
    expect(definition.name).to.match(/^fresh-/);
    expect(definition.logger).to.equal(logger);
    expect(definition.endpoints).to.deep.equal([]);
    expect(definition.routes).to.deep.equal([]);
    expect(definition.session).to.equal(undefined);
    expect(Object.isFrozen(definition)).to.equal(true);
    expect(Object.isFrozen(definition.endpoints)).to.equal(true);
  });

  it('uses the logger it is given', () => {
    const own = new CaptureLogger();
    expect(create({ logger: own }).logger).to.equal(own);
  });

  describe('loggerName', () => {
    after(async () => {
      await closeKrLogger();
    });

    it('uses the registered logger of that name', () => {
      const name = `new-kr-server-logger-${randomUUID()}`;
      const registered = newKrLogger().registerKrLogger({ name, passThru: true });
      expect(create({ logger: undefined, loggerName: name }).logger).to.equal(registered);
    });

    it('falls back to the default logger for an unknown name, as Kestrun does', () => {
      const fallback = create({ logger: undefined }).logger;
      expect(create({ logger: undefined, loggerName: `missing-${randomUUID()}` }).logger).to.equal(fallback);
    });

    it('cannot be combined with logger (two parameter sets)', () => {
      expect(() => create({ loggerName: 'x' })).to.throw(KrParameterBindingError, /Parameter set cannot be resolved/);
    });
  });

  describe('environment', () => {
    const saved = { aspnet: process.env.ASPNETCORE_ENVIRONMENT, dotnet: process.env.DOTNET_ENVIRONMENT };

    afterEach(() => {
      for (const [key, value] of [
        ['ASPNETCORE_ENVIRONMENT', saved.aspnet],
        ['DOTNET_ENVIRONMENT', saved.dotnet],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });

    it('takes a named environment case-insensitively, in its declared spelling', () => {
      expect(create({ environment: 'staging' }).environment).to.equal('Staging');
    });

    it('Auto reads ASPNETCORE_ENVIRONMENT, then DOTNET_ENVIRONMENT, else Production', () => {
      delete process.env.ASPNETCORE_ENVIRONMENT;
      delete process.env.DOTNET_ENVIRONMENT;
      expect(create({ environment: 'Auto' }).environment).to.equal('Production');
      process.env.DOTNET_ENVIRONMENT = 'Staging';
      expect(create().environment).to.equal('Staging');
      process.env.ASPNETCORE_ENVIRONMENT = 'Development';
      expect(create().environment).to.equal('Development');
    });

    it('rejects a value outside the set, with the ValidateSet message', () => {
      expect(() => create({ environment: 'prod' })).to.throw(
        KrParameterBindingError,
        'New-KrServer: Cannot validate argument on parameter \'Environment\'. The argument "prod" does not belong to the set "Auto,Development,Staging,Production" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.',
      );
    });
  });

  describe('names', () => {
    it('are case-insensitive: a second server differing only in case is refused', () => {
      const name = `CaseServer-${randomUUID()}`;
      create({ name });
      const error = expectCmdletError(
        () => newKrServer({ name: name.toUpperCase(), logger, default: true }),
        `New-KrServer: A KestrunHost instance with the name '${name.toUpperCase()}' already exists. Pass force: true to stop and replace it.`,
      );
      expect(error.parameter).to.equal('Name');
    });

    it('are case-insensitive when other cmdlets look the server up', () => {
      const name = `Lookup-${randomUUID()}`;
      create({ name });
      const after = addKrMapRoute({ server: name.toLowerCase(), path: '/x', scriptBlock: () => undefined });
      expect(after.name).to.equal(name);
      expect(after.routes).to.have.length(1);
    });

    it('must not be empty or blank', () => {
      expect(() => newKrServer({ name: '', logger })).to.throw(
        KrParameterBindingError,
        "New-KrServer: Cannot bind argument to parameter 'Name' because it is an empty string.",
      );
      expectCmdletError(() => newKrServer({ name: '   ', logger }), 'New-KrServer: Instance name is required.');
    });

    it('are mandatory', () => {
      expect(() => newKrServer({ logger } as unknown as Parameters<typeof newKrServer>[0])).to.throw(
        KrParameterBindingError,
        'New-KrServer: Cannot process command because of one or more missing mandatory parameters: Name.',
      );
    });
  });

  describe('force', () => {
    let running: InProcessServer | undefined;

    afterEach(async () => {
      await running?.stop();
      running = undefined;
    });

    it('replaces a defined server of the same name with a fresh definition', () => {
      const name = `force-${randomUUID()}`;
      create({ name });
      addKrEndpoint({ port: 0 });
      const replaced = create({ name: name.toUpperCase(), force: true });
      expect(replaced.name).to.equal(name.toUpperCase());
      expect(replaced.endpoints).to.have.length(0);
    });

    it('stops a running server of the same name before replacing it', async () => {
      running = await startInProcess(() => {
        addKrMapRoute({ path: '/up', scriptBlock: () => writeKrTextResponse({ inputObject: 'up' }) });
      });
      expect((await fetchUrl(`${running.url}/up`)).status).to.equal(200);
      create({ name: running.name, force: true });
      // The old listener stopped accepting as part of the replacement.
      expect(await connectOutcome(`${running.url}/up`)).to.equal('ECONNREFUSED');
      expect(running.logger.messages('Information')).to.include(`Stopping Kestrun server '${running.name}' ...`);
    });
  });

  describe('the default server', () => {
    it('is the last one created with default: true', () => {
      const first = create();
      const second = create();
      expect(addKrEndpoint({ port: 0 }).name).to.equal(second.name);
      expect(first.name).not.to.equal(second.name);
    });

    it('does not move to a server created without default: true', () => {
      const chosen = create();
      const other = create({ default: false });
      expect(addKrEndpoint({ port: 0 }).name).to.equal(chosen.name);
      expect(other.endpoints).to.have.length(0);
    });

    it('is the first server created in a process when none asks to be the default', async function () {
      this.timeout(20_000);
      const output = await runIsolated(`
        import { newKrServer, addKrEndpoint } from './src/index.ts';
        import { CaptureLogger } from './test/support/capture-logger.ts';
        const logger = new CaptureLogger();
        newKrServer({ name: 'first', logger });
        newKrServer({ name: 'second', logger });
        console.log(addKrEndpoint({ port: 1 }).name);
      `);
      expect(output).to.equal('first');
    });

    it("is missing in a fresh process, with Kestrun's message", async function () {
      this.timeout(20_000);
      const output = await runIsolated(`
        import { addKrEndpoint } from './src/index.ts';
        try { addKrEndpoint({ port: 1 }); } catch (error) { console.log(error.message); }
      `);
      expect(output).to.equal('Add-KrEndpoint: No Kestrun server instance found. Please create a Kestrun server instance.');
    });
  });

  describe('bad input', () => {
    it('rejects an unknown parameter, naming it', () => {
      expect(() => newKrServer({ name: 'x', port: 5000 } as Parameters<typeof newKrServer>[0])).to.throw(
        KrParameterBindingError,
        "New-KrServer: A parameter cannot be found that matches parameter name 'port'.",
      );
    });

    it('rejects a switch given as text', () => {
      expect(() => newKrServer({ name: 'x', default: 'true' as unknown as boolean })).to.throw(
        KrParameterBindingError,
        /^New-KrServer: Cannot process argument transformation on parameter 'Default'\./,
      );
    });

    it('rejects something that is not a logger', () => {
      expect(() => newKrServer({ name: 'x', logger: { info: () => undefined } as unknown as KrLogger })).to.throw(
        KrParameterBindingError,
        'New-KrServer: Cannot bind parameter \'Logger\'. Cannot convert the "Object" value of type "Object" to type "Serilog.ILogger".',
      );
    });

    it('a failed call creates no server', () => {
      const name = `not-created-${randomUUID()}`;
      expect(() => newKrServer({ name, environment: 'nope', logger })).to.throw(KrCmdletError);
      // Had it been created, this second call would fail as a duplicate.
      create({ name });
    });
  });
});
