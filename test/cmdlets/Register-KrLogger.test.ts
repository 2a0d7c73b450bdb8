import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  KrCmdletError,
  KrLoggerConfig,
  KrParameterBindingError,
  newKrLogger,
  newKrServer,
  registerKrLogger,
  stopKrServer,
} from '../../src/index.ts';
import type { KrLogger } from '../../src/index.ts';
import { resetLoggers } from '../../src/runtime/logging/logger-manager.ts';
import { captureOutput } from '../support/cmdlet-helpers.ts';

describe('Register-KrLogger (registerKrLogger)', () => {
  const servers: string[] = [];

  function uniqueName(prefix: string): string {
    return `${prefix}-${randomUUID()}`;
  }

  /** A server that only exists to show which logger a new server picks up; removed after each test. */
  function serverLogger(input: { loggerName?: string } = {}): KrLogger {
    const name = uniqueName('register-kr-logger-server');
    servers.push(name);
    return newKrServer({ name, default: true, ...input }).logger;
  }

  afterEach(async () => {
    for (const name of servers.splice(0)) await stopKrServer({ server: name, quiet: true });
  });

  after(async () => {
    // setAsDefault changes the process-wide default logger: later test files must start without it.
    await resetLoggers();
  });

  it('returns nothing without passThru, and the logger with it', async () => {
    expect(newKrLogger().registerKrLogger({ name: uniqueName('quiet') })).to.equal(undefined);
    const name = uniqueName('passthru');
    const logger = newKrLogger().registerKrLogger({ name, passThru: true });
    expect(logger?.name).to.equal(name);
    expect(typeof logger?.information).to.equal('function');
    await logger?.close();
  });

  it('creates a logger that writes through the configured sinks', async () => {
    const logger = newKrLogger().addKrSinkConsole({ outputTemplate: '{Level:u3} {Message}{NewLine}' }).registerKrLogger({
      name: uniqueName('writes'),
      passThru: true,
    });
    const { stdout } = await captureOutput(() => logger?.warning('registered-and-writing'));
    expect(stdout).to.contain('WRN registered-and-writing\n');
    await logger?.close();
  });

  it('works as a plain function with loggerConfig', async () => {
    const logger = registerKrLogger({ loggerConfig: newKrLogger(), name: uniqueName('plain'), passThru: true });
    expect(logger).not.to.equal(undefined);
    await logger?.close();
  });

  it('finds the logger by name case-insensitively (New-KrServer -LoggerName)', async () => {
    const name = uniqueName('CaseName');
    const logger = newKrLogger().registerKrLogger({ name, passThru: true });
    expect(serverLogger({ loggerName: name.toUpperCase() })).to.equal(logger);
    expect(serverLogger({ loggerName: name.toLowerCase() })).to.equal(logger);
    await logger?.close();
  });

  it('replaces and closes a logger registered under the same name (in any case)', async () => {
    const name = uniqueName('replace');
    const first = newKrLogger().addKrSinkConsole().registerKrLogger({ name, passThru: true });
    const second = newKrLogger().addKrSinkConsole().registerKrLogger({ name: name.toUpperCase(), passThru: true });
    expect(second).not.to.equal(first);
    // A closed logger reports nothing enabled: it no longer writes.
    expect(first?.isEnabled('Fatal')).to.equal(false);
    expect(second?.isEnabled('Information')).to.equal(true);
    expect(serverLogger({ loggerName: name })).to.equal(second);
    await second?.close();
  });

  it('setAsDefault makes servers created afterwards write to it', async () => {
    const logger = newKrLogger().registerKrLogger({ name: uniqueName('default'), setAsDefault: true, passThru: true });
    expect(serverLogger()).to.equal(logger);
  });

  it('without setAsDefault, servers created afterwards do not pick it up', () => {
    const logger = newKrLogger().registerKrLogger({ name: uniqueName('not-default'), passThru: true });
    expect(serverLogger()).not.to.equal(logger);
  });

  it('replacing the default logger by name keeps the replacement as the default', () => {
    const name = uniqueName('default-replaced');
    newKrLogger().registerKrLogger({ name, setAsDefault: true });
    const replacement = newKrLogger().registerKrLogger({ name, passThru: true });
    expect(serverLogger()).to.equal(replacement);
  });

  it('turns a configuration into a logger only once, as Serilog does', () => {
    const config = newKrLogger().addKrSinkConsole();
    config.registerKrLogger({ name: uniqueName('once') });
    let caught: unknown;
    try {
      config.registerKrLogger({ name: uniqueName('twice') });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(KrCmdletError);
    expect((caught as KrCmdletError).message).to.equal('Register-KrLogger: CreateLogger() was previously called and can only be called once.');
    expect((caught as KrCmdletError).parameter).to.equal('LoggerConfig');
  });

  it('a configuration derived from a used one is new and may be registered', () => {
    const config = newKrLogger();
    config.registerKrLogger({ name: uniqueName('base') });
    expect(() => config.setKrLoggerLevel({ value: 'Debug' }).registerKrLogger({ name: uniqueName('derived') })).not.to.throw();
  });

  describe('bad input', () => {
    it('requires a name, and a non-empty one', () => {
      expect(() => newKrLogger().registerKrLogger({} as { name: string })).to.throw(
        KrParameterBindingError,
        'Register-KrLogger: Cannot process command because of one or more missing mandatory parameters: Name.',
      );
      expect(() => newKrLogger().registerKrLogger({ name: '' })).to.throw(
        KrParameterBindingError,
        "Register-KrLogger: Cannot bind argument to parameter 'Name' because it is an empty string.",
      );
    });

    it('a failed binding does not use up the configuration', () => {
      const config = newKrLogger();
      expect(() => config.registerKrLogger({ name: '' })).to.throw(KrParameterBindingError);
      expect(() => config.registerKrLogger({ name: uniqueName('after-failure') })).not.to.throw();
    });

    it('rejects a switch given as text', () => {
      expect(() => newKrLogger().registerKrLogger({ name: uniqueName('bad-switch'), setAsDefault: 'yes' as unknown as boolean })).to.throw(
        KrParameterBindingError,
        /^Register-KrLogger: Cannot process argument transformation on parameter 'SetAsDefault'\./,
      );
    });

    it("rejects the stale help's parameters, naming them", () => {
      expect(() => newKrLogger().registerKrLogger({ name: uniqueName('stale'), minimumLevel: 'Debug' } as { name: string })).to.throw(
        KrParameterBindingError,
        "Register-KrLogger: A parameter cannot be found that matches parameter name 'minimumLevel'.",
      );
    });

    it('rejects something that is not a logger configuration', () => {
      expect(() => registerKrLogger({ name: uniqueName('wrong'), loggerConfig: {} as KrLoggerConfig })).to.throw(
        KrParameterBindingError,
        /'LoggerConfig'.*"Serilog\.LoggerConfiguration"/,
      );
    });
  });
});
