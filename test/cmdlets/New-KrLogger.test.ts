import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { KrLoggerConfig, KrParameterBindingError, newKrLogger } from '../../src/index.ts';
import type { KrLogger } from '../../src/index.ts';
import { captureOutput } from '../support/cmdlet-helpers.ts';

describe('New-KrLogger (newKrLogger)', () => {
  const created: KrLogger[] = [];

  afterEach(async () => {
    // Registered loggers own console streams; close them so nothing is written after the test.
    await Promise.all(created.splice(0).map((logger) => logger.close()));
  });

  function register(config: KrLoggerConfig): KrLogger {
    const logger = config.registerKrLogger({ name: `new-kr-logger-${randomUUID()}`, passThru: true });
    if (logger === undefined) throw new Error('passThru returned no logger');
    created.push(logger);
    return logger;
  }

  it('returns a fresh, frozen configuration at Information with no sinks', () => {
    const config = newKrLogger();
    expect(config).to.be.instanceOf(KrLoggerConfig);
    expect(Object.isFrozen(config)).to.equal(true);
    expect(config.configuration.minimumLevel).to.equal('Information');
    expect(config.configuration.sinks).to.deep.equal([]);
    expect(Object.isFrozen(config.configuration)).to.equal(true);
  });

  it('returns a new configuration on every call, so two pipelines never share state', () => {
    const first = newKrLogger();
    const second = newKrLogger();
    expect(first).not.to.equal(second);
    expect(first.configuration).not.to.equal(second.configuration);
    // Changing one pipeline leaves the other as it was.
    first.setKrLoggerLevel({ value: 'Fatal' }).addKrSinkConsole();
    expect(second.configuration.minimumLevel).to.equal('Information');
    expect(second.configuration.sinks).to.have.length(0);
  });

  it('accepts an empty parameter object as well as no argument', () => {
    expect(newKrLogger({}).configuration.minimumLevel).to.equal('Information');
  });

  it('gives a silent logger when no sink is added (Serilog without sinks writes nowhere)', async () => {
    const logger = register(newKrLogger());
    expect(logger.isEnabled('Fatal')).to.equal(false);
    const { stdout, stderr } = await captureOutput(() => logger.fatal('nobody hears this'));
    expect(stdout).not.to.contain('nobody hears this');
    expect(stderr).not.to.contain('nobody hears this');
  });

  it('defaults to Information once a sink is added: Debug is dropped, Information is written', async () => {
    const logger = register(newKrLogger().addKrSinkConsole());
    expect(logger.isEnabled('Debug')).to.equal(false);
    expect(logger.isEnabled('Information')).to.equal(true);
    const { stdout } = await captureOutput(() => {
      logger.debug('debug-line');
      logger.information('info-line');
    });
    expect(stdout).not.to.contain('debug-line');
    expect(stdout).to.match(/\[\d{2}:\d{2}:\d{2} INF\] info-line\n/);
  });

  it('rejects any parameter, naming it (New-KrLogger takes none)', () => {
    expect(() => newKrLogger({ minimumLevel: 'Debug' } as unknown as Record<string, never>)).to.throw(
      KrParameterBindingError,
      "New-KrLogger: A parameter cannot be found that matches parameter name 'minimumLevel'.",
    );
  });

  it('rejects a non-object argument', () => {
    expect(() => newKrLogger('Debug' as unknown as Record<string, never>)).to.throw(
      KrParameterBindingError,
      /^New-KrLogger: Cannot bind parameters: expected an object of named parameters, such as newKrLogger\(\{ \.\.\. \}\), but got string\.$/,
    );
  });
});
