import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { addKrSinkConsole, KrLoggerConfig, KrParameterBindingError, newKrLogger } from '../../src/index.ts';
import type { KrLogger } from '../../src/index.ts';
import { captureOutput } from '../support/cmdlet-helpers.ts';

describe('Add-KrSinkConsole (addKrSinkConsole)', () => {
  const created: KrLogger[] = [];

  afterEach(async () => {
    await Promise.all(created.splice(0).map((logger) => logger.close()));
  });

  function register(config: KrLoggerConfig): KrLogger {
    const logger = config.registerKrLogger({ name: `add-kr-sink-console-${randomUUID()}`, passThru: true });
    if (logger === undefined) throw new Error('passThru returned no logger');
    created.push(logger);
    return logger;
  }

  it('returns a new configuration with one console sink and leaves its input without one', () => {
    const original = newKrLogger();
    const withSink = original.addKrSinkConsole();
    expect(withSink).to.be.instanceOf(KrLoggerConfig);
    expect(withSink.configuration.sinks).to.have.length(1);
    expect(withSink.configuration.sinks[0]).to.include({
      kind: 'console',
      restrictedToMinimumLevel: 'Verbose',
      outputTemplate: '[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{ErrorRecord}{Exception}',
    });
    expect(original.configuration.sinks).to.have.length(0);
    expect(Object.isFrozen(withSink.configuration.sinks)).to.equal(true);
  });

  it('works as a plain function with loggerConfig', () => {
    expect(addKrSinkConsole({ loggerConfig: newKrLogger() }).configuration.sinks).to.have.length(1);
  });

  it("writes Serilog's default line, [HH:mm:ss LVL] message, with each level's three-letter code", async () => {
    const logger = register(newKrLogger().setKrLoggerLevel({ value: 'Verbose' }).addKrSinkConsole());
    const { stdout } = await captureOutput(() => {
      logger.verbose('v');
      logger.debug('d');
      logger.information('i');
      logger.warning('w');
      logger.error('e');
      logger.fatal('f');
    });
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines.map((line) => line.replace(/^\[\d{2}:\d{2}:\d{2} /, '['))).to.deep.equal([
      '[VRB] v',
      '[DBG] d',
      '[INF] i',
      '[WRN] w',
      '[ERR] e',
      '[FTL] f',
    ]);
  });

  it('stamps the local wall-clock time', async () => {
    const logger = register(newKrLogger().addKrSinkConsole());
    const before = new Date();
    const { stdout } = await captureOutput(() => logger.information('now'));
    const stamp = /^\[(\d{2}):(\d{2}):(\d{2}) INF\] now\n$/.exec(stdout);
    expect(stamp, stdout).not.to.equal(null);
    // The hour printed is the local hour (allowing for the test crossing an hour boundary).
    const hours = [before.getHours(), new Date().getHours()].map((hour) => String(hour).padStart(2, '0'));
    expect(hours).to.include(stamp?.[1]);
  });

  it('prints the exception stack after the message when an error is logged', async () => {
    const logger = register(newKrLogger().addKrSinkConsole());
    const failure = new Error('disk on fire');
    const { stdout } = await captureOutput(() => logger.error('route failed', failure));
    expect(stdout).to.match(/^\[\d{2}:\d{2}:\d{2} ERR\] route failed\nError: disk on fire\n\s+at /);
  });

  it('writes buffered lines by itself, in one write, shortly after they are logged', async () => {
    const logger = register(newKrLogger().addKrSinkConsole());
    const original = process.stdout.write;
    let written = '';
    const firstWrite = new Promise<void>((resolve) => {
      process.stdout.write = ((chunk: string | Uint8Array): boolean => {
        written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        resolve();
        return true;
      }) as typeof process.stdout.write;
    });
    try {
      logger.information('first');
      logger.information('second');
      expect(written).to.equal('');
      await firstWrite;
    } finally {
      process.stdout.write = original;
    }
    expect(written).to.match(/^\[\d\d:\d\d:\d\d INF\] first\n\[\d\d:\d\d:\d\d INF\] second\n$/);
  });

  it('batches log lines into one write', async () => {
    const logger = register(newKrLogger().addKrSinkConsole());
    const { stdout, stdoutChunks } = await captureOutput(() => {
      for (let index = 0; index < 5; index++) logger.information(`line ${index}`);
    });
    expect(stdout.split('\n').filter(Boolean)).to.have.length(5);
    expect(stdoutChunks).to.have.length(1);
  });

  it('writes a batch as soon as it reaches 64 KiB, without waiting for the timer, and keeps every line in order', async () => {
    const logger = register(newKrLogger().addKrSinkConsole({ outputTemplate: '{Message}{NewLine}' }));
    // About 300 KB of 100-byte lines.
    const lines = Array.from({ length: 3000 }, (_, index) => `line ${String(index).padStart(4, '0')} ${'x'.repeat(89)}`);
    let writtenWhileLogging = '';
    const { stdout, stdoutChunks } = await captureOutput((stdoutSoFar) => {
      for (const line of lines) logger.information(line);
      writtenWhileLogging = stdoutSoFar();
    });
    // Four full batches left while logging; the final flush wrote the rest.
    expect(stdoutChunks).to.have.length(5);
    expect(writtenWhileLogging).to.equal(stdoutChunks.slice(0, 4).join(''));
    // Lines are encoded 32 at a time, so a batch leaves between 64 KiB and one encoding (3.2 KB here) past it.
    for (const batch of stdoutChunks.slice(0, -1)) expect(batch.length).to.be.within(64 * 1024, 64 * 1024 + 3200);
    expect(stdout).to.equal(lines.map((line) => `${line}\n`).join(''));
  });

  it('writes a line longer than a whole batch on its own, between the lines around it', async () => {
    const logger = register(newKrLogger().addKrSinkConsole({ outputTemplate: '{Message}{NewLine}' }));
    const long = 'y'.repeat(200 * 1024);
    // Enough lines before it that some are already encoded and waiting in the batch.
    const before = Array.from({ length: 50 }, (_, index) => `before ${index}\n`).join('');
    const { stdout } = await captureOutput(() => {
      for (let index = 0; index < 50; index++) logger.information(`before ${index}`);
      logger.information(long);
      logger.information('after');
    });
    expect(stdout).to.equal(`${before}${long}\nafter\n`);
  });

  it('writes characters beyond ASCII as UTF-8', async () => {
    const logger = register(newKrLogger().addKrSinkConsole({ outputTemplate: '{Message}{NewLine}' }));
    const text = 'naïve µs ☃ 😀 日本語';
    const { stdout } = await captureOutput(() => {
      for (let index = 0; index < 40; index++) logger.information(text);
    });
    expect(stdout).to.equal(`${text}\n`.repeat(40));
  });

  it('restrictedToMinimumLevel filters this sink only', async () => {
    const logger = register(
      newKrLogger().setKrLoggerLevel({ value: 'Debug' }).addKrSinkConsole({ restrictedToMinimumLevel: 'warning' }),
    );
    const { stdout } = await captureOutput(() => {
      logger.information('below-the-sink');
      logger.warning('at-the-sink');
    });
    expect(stdout).not.to.contain('below-the-sink');
    expect(stdout).to.contain('at-the-sink');
  });

  it('the configuration minimum still applies under a lower sink restriction', async () => {
    const logger = register(newKrLogger().setKrLoggerLevel({ value: 'Error' }).addKrSinkConsole({ restrictedToMinimumLevel: 'Verbose' }));
    const { stdout } = await captureOutput(() => {
      logger.warning('below-the-logger');
      logger.error('at-the-logger');
    });
    expect(stdout).not.to.contain('below-the-logger');
    expect(stdout).to.contain('at-the-logger');
  });

  it('renders a custom outputTemplate', async () => {
    const logger = register(newKrLogger().addKrSinkConsole({ outputTemplate: '{Level:w3}|{Level}|{Message}{NewLine}' }));
    const { stdout } = await captureOutput(() => logger.warning('custom'));
    expect(stdout).to.equal('wrn|Warning|custom\n');
  });

  it('standardErrorFromLevel sends that level and above to stderr, the rest to stdout', async () => {
    const logger = register(
      newKrLogger().setKrLoggerLevel({ value: 'Verbose' }).addKrSinkConsole({ standardErrorFromLevel: 'Error' }),
    );
    const { stdout, stderr } = await captureOutput(() => {
      logger.debug('to-out-debug');
      logger.warning('to-out-warning');
      logger.error('to-err-error');
      logger.fatal('to-err-fatal');
    });
    expect(stdout).to.contain('to-out-debug').and.to.contain('to-out-warning');
    expect(stdout).not.to.contain('to-err-');
    expect(stderr).to.contain('to-err-error').and.to.contain('to-err-fatal');
    expect(stderr).not.to.contain('to-out-');
  });

  it('without standardErrorFromLevel everything goes to stdout, errors included', async () => {
    const logger = register(newKrLogger().addKrSinkConsole());
    const { stdout, stderr } = await captureOutput(() => logger.fatal('all-on-stdout'));
    expect(stdout).to.contain('all-on-stdout');
    expect(stderr).not.to.contain('all-on-stdout');
  });

  it('two sinks write every line twice', async () => {
    const logger = register(newKrLogger().addKrSinkConsole().addKrSinkConsole({ outputTemplate: 'second {Message}{NewLine}' }));
    const { stdout } = await captureOutput(() => logger.information('twice'));
    expect(stdout).to.match(/\[\d{2}:\d{2}:\d{2} INF\] twice\n/);
    expect(stdout).to.contain('second twice\n');
  });

  it('writes nothing after its logger is closed', async () => {
    const logger = register(newKrLogger().addKrSinkConsole());
    await logger.close();
    const { stdout } = await captureOutput(() => logger.fatal('after-close'));
    expect(stdout).not.to.contain('after-close');
  });

  describe('bad input', () => {
    it('rejects an unknown level name for restrictedToMinimumLevel', () => {
      expect(() => newKrLogger().addKrSinkConsole({ restrictedToMinimumLevel: 'Loudest' })).to.throw(
        KrParameterBindingError,
        /^Add-KrSinkConsole: Cannot bind parameter 'RestrictedToMinimumLevel'\. Cannot convert value "Loudest" to type "Serilog\.Events\.LogEventLevel"\./,
      );
    });

    it('rejects an unknown level name for standardErrorFromLevel', () => {
      expect(() => newKrLogger().addKrSinkConsole({ standardErrorFromLevel: 'stderr' })).to.throw(
        KrParameterBindingError,
        /'StandardErrorFromLevel'/,
      );
    });

    it('rejects a non-string outputTemplate', () => {
      expect(() => newKrLogger().addKrSinkConsole({ outputTemplate: { text: '{Message}' } as unknown as string })).to.throw(
        KrParameterBindingError,
        'Add-KrSinkConsole: Cannot bind parameter \'OutputTemplate\'. Cannot convert the "Object" value of type "Object" to type "System.String".',
      );
    });

    it('rejects an unknown parameter, naming it', () => {
      expect(() => newKrLogger().addKrSinkConsole({ colour: true } as unknown as Record<string, never>)).to.throw(
        KrParameterBindingError,
        "Add-KrSinkConsole: A parameter cannot be found that matches parameter name 'colour'.",
      );
    });

    it('requires loggerConfig when called as a function, and rejects anything else there', () => {
      expect(() => addKrSinkConsole({} as Parameters<typeof addKrSinkConsole>[0])).to.throw(
        'Add-KrSinkConsole: Cannot process command because of one or more missing mandatory parameters: LoggerConfig.',
      );
      expect(() => addKrSinkConsole({ loggerConfig: 'console' as unknown as KrLoggerConfig })).to.throw(
        KrParameterBindingError,
        /'LoggerConfig'.*"Serilog\.LoggerConfiguration"/,
      );
    });
  });
});
