import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { KrLoggerConfig, KrParameterBindingError, newKrLogger, setKrLoggerLevel } from '../../src/index.ts';
import type { KrLogger, LogLevel } from '../../src/index.ts';
import { captureOutput } from '../support/cmdlet-helpers.ts';

/** Serilog's order, least severe first: the test derives every expectation from this one list. */
const LEVELS: readonly LogLevel[] = ['Verbose', 'Debug', 'Information', 'Warning', 'Error', 'Fatal'];

describe('Set-KrLoggerLevel (setKrLoggerLevel)', () => {
  const created: KrLogger[] = [];

  afterEach(async () => {
    await Promise.all(created.splice(0).map((logger) => logger.close()));
  });

  function register(config: KrLoggerConfig): KrLogger {
    const logger = config.registerKrLogger({ name: `set-kr-logger-level-${randomUUID()}`, passThru: true });
    if (logger === undefined) throw new Error('passThru returned no logger');
    created.push(logger);
    return logger;
  }

  it('returns a new configuration with the level and leaves the one it was given untouched', () => {
    const original = newKrLogger();
    const debug = original.setKrLoggerLevel({ value: 'Debug' });
    expect(debug).to.be.instanceOf(KrLoggerConfig);
    expect(debug).not.to.equal(original);
    expect(debug.configuration.minimumLevel).to.equal('Debug');
    expect(original.configuration.minimumLevel).to.equal('Information');
    expect(Object.isFrozen(debug.configuration)).to.equal(true);
  });

  it('keeps the sinks added earlier in the pipeline', () => {
    const config = newKrLogger().addKrSinkConsole().setKrLoggerLevel({ value: 'Warning' });
    expect(config.configuration.sinks).to.have.length(1);
  });

  it('works as a plain function with loggerConfig, as the PowerShell pipeline binds it', () => {
    const config = setKrLoggerLevel({ loggerConfig: newKrLogger(), value: 'Error' });
    expect(config.configuration.minimumLevel).to.equal('Error');
  });

  it('matches level names case-insensitively', () => {
    expect(newKrLogger().setKrLoggerLevel({ value: 'debug' }).configuration.minimumLevel).to.equal('Debug');
    expect(newKrLogger().setKrLoggerLevel({ value: 'WARNING' }).configuration.minimumLevel).to.equal('Warning');
  });

  it("accepts Kestrun's alias 'level'", () => {
    expect(newKrLogger().setKrLoggerLevel({ level: 'Fatal' }).configuration.minimumLevel).to.equal('Fatal');
  });

  it('the last level in the pipeline wins', () => {
    const config = newKrLogger().setKrLoggerLevel({ value: 'Verbose' }).setKrLoggerLevel({ value: 'Error' });
    expect(config.configuration.minimumLevel).to.equal('Error');
  });

  describe('orders levels as Serilog does: Verbose < Debug < Information < Warning < Error < Fatal', () => {
    for (const [minimumIndex, minimum] of LEVELS.entries()) {
      it(`at ${minimum}, enables exactly ${LEVELS.slice(minimumIndex).join(', ')}`, () => {
        const logger = register(newKrLogger().setKrLoggerLevel({ value: minimum }).addKrSinkConsole());
        const enabled = LEVELS.filter((level) => logger.isEnabled(level));
        expect(enabled).to.deep.equal(LEVELS.slice(minimumIndex));
      });
    }
  });

  it('filters what reaches the console: at Warning, Information is dropped and Warning written', async () => {
    const logger = register(newKrLogger().setKrLoggerLevel({ value: 'Warning' }).addKrSinkConsole());
    const { stdout } = await captureOutput(() => {
      logger.information('quiet-info');
      logger.warning('loud-warning');
    });
    expect(stdout).not.to.contain('quiet-info');
    expect(stdout).to.match(/\[\d{2}:\d{2}:\d{2} WRN\] loud-warning\n/);
  });

  it('at Verbose, writes Verbose with its VRB code', async () => {
    const logger = register(newKrLogger().setKrLoggerLevel({ value: 'Verbose' }).addKrSinkConsole());
    const { stdout } = await captureOutput(() => logger.verbose('chatty'));
    expect(stdout).to.match(/\[\d{2}:\d{2}:\d{2} VRB\] chatty\n/);
  });

  describe('bad input', () => {
    it('rejects an unknown level, listing the valid ones', () => {
      expect(() => newKrLogger().setKrLoggerLevel({ value: 'Loud' })).to.throw(
        KrParameterBindingError,
        'Set-KrLoggerLevel: Cannot bind parameter \'Value\'. Cannot convert value "Loud" to type "Serilog.Events.LogEventLevel". Error: "Unable to match the identifier name Loud to a valid enumerator name. Specify one of the following enumerator names and try again:\nVerbose, Debug, Information, Warning, Error, Fatal"',
      );
    });

    it("rejects winston's own level names that Serilog does not have", () => {
      expect(() => newKrLogger().setKrLoggerLevel({ value: 'info' })).to.throw(KrParameterBindingError, /identifier name info/);
      expect(() => newKrLogger().setKrLoggerLevel({ value: 'warn' })).to.throw(KrParameterBindingError, /identifier name warn/);
    });

    it('rejects a numeric level', () => {
      expect(() => newKrLogger().setKrLoggerLevel({ value: 2 as unknown as string })).to.throw(KrParameterBindingError, /'Value'/);
    });

    it('requires a value', () => {
      expect(() => newKrLogger().setKrLoggerLevel({} as { value: string })).to.throw(
        KrParameterBindingError,
        'Set-KrLoggerLevel: Cannot process command because of one or more missing mandatory parameters: Value.',
      );
      expect(() => newKrLogger().setKrLoggerLevel({ value: null as unknown as string })).to.throw(
        "Set-KrLoggerLevel: Cannot bind argument to parameter 'Value' because it is null.",
      );
    });

    it('rejects value and its alias level together', () => {
      expect(() => newKrLogger().setKrLoggerLevel({ value: 'Debug', level: 'Error' })).to.throw(
        KrParameterBindingError,
        /parameter 'Value' is specified more than once/,
      );
    });

    it('rejects something that is not a logger configuration', () => {
      expect(() => setKrLoggerLevel({ loggerConfig: { minimumLevel: 'Debug' } as unknown as KrLoggerConfig, value: 'Debug' })).to.throw(
        KrParameterBindingError,
        'Set-KrLoggerLevel: Cannot bind parameter \'LoggerConfig\'. Cannot convert the "Object" value of type "Object" to type "Serilog.LoggerConfiguration".',
      );
    });

    it('requires loggerConfig when called as a function', () => {
      expect(() => setKrLoggerLevel({ value: 'Debug' } as Parameters<typeof setKrLoggerLevel>[0])).to.throw(
        /missing mandatory parameters: LoggerConfig\.$/,
      );
    });

    it('rejects an unknown parameter, naming it', () => {
      expect(() => newKrLogger().setKrLoggerLevel({ value: 'Debug', minimumLevel: 'Debug' } as { value: string })).to.throw(
        KrParameterBindingError,
        "Set-KrLoggerLevel: A parameter cannot be found that matches parameter name 'minimumLevel'.",
      );
    });
  });
});
