import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import winston from 'winston';
import { newKrLogger } from '../../src/index.ts';
import type { LogEvent } from '../../src/runtime/logging/console-format.ts';
import { ConsoleTransport } from '../../src/runtime/logging/console-transport.ts';
import { WINSTON_LEVELS } from '../../src/runtime/logging/log-level.ts';
import { resetLoggers } from '../../src/runtime/logging/logger-manager.ts';
import { captureOutput } from '../support/cmdlet-helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** triple-beam's key, set by winston's Logger on every event it handles. */
const WINSTON_LEVEL = Symbol.for('level');

function transport(restrictedToMinimumLevel: 'Verbose' | 'Warning' = 'Verbose'): ConsoleTransport {
  return new ConsoleTransport({ kind: 'console', restrictedToMinimumLevel, outputTemplate: '{Level:u3} {Message}{NewLine}', standardErrorFromLevel: undefined });
}

function plainWinstonLogger(sink: ConsoleTransport): winston.Logger {
  return winston.createLogger({ levels: WINSTON_LEVELS, level: 'Verbose', format: winston.format((event) => event)(), transports: [sink] });
}

function ended(logger: winston.Logger): Promise<void> {
  const finished = new Promise<void>((resolve) => logger.once('finish', () => resolve()));
  logger.end();
  return finished;
}

/** Runs a module in a fresh Node process (with tsx), from the repository's root. */
function runModule(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr });
    });
  });
}

describe('ConsoleTransport (the console sink as a winston transport)', () => {
  afterEach(async () => {
    await resetLoggers();
  });

  it("is driven by a plain winston logger, which drops what is below the transport's level", async () => {
    const logger = plainWinstonLogger(transport('Warning'));
    const { stdout } = await captureOutput(() => {
      logger.log({ level: 'Information', message: 'below', timestamp: Date.now() });
      logger.log({ level: 'Error', message: 'at', timestamp: Date.now() });
    });
    expect(stdout).to.equal('ERR at\n');
    await ended(logger);
  });

  it("writes what it buffers when winston ends it, before the logger's 'finish'", async () => {
    const logger = plainWinstonLogger(transport());
    const { result } = await captureOutput(async (stdoutSoFar) => {
      logger.log({ level: 'Warning', message: 'last', timestamp: Date.now() });
      const beforeEnd = stdoutSoFar();
      await ended(logger);
      return { beforeEnd, afterFinish: stdoutSoFar() };
    });
    expect(result).to.deep.equal({ beforeEnd: '', afterFinish: 'WRN last\n' });
  });

  it("receives a KrLogger's events from winston's logger", async () => {
    const received: (string | undefined)[] = [];
    const log = Object.getOwnPropertyDescriptor(ConsoleTransport.prototype, 'log')?.value as ConsoleTransport['log'];
    ConsoleTransport.prototype.log = function (event: LogEvent, next: () => void): void {
      received.push((event as unknown as Record<symbol, string>)[WINSTON_LEVEL]);
      log.call(this, event, next);
    };
    try {
      const logger = newKrLogger().addKrSinkConsole().registerKrLogger({ name: 'through-winston', passThru: true });
      const { stdout } = await captureOutput(() => logger?.warning('via winston'));
      expect(stdout).to.match(/^\[\d{2}:\d{2}:\d{2} WRN\] via winston\n$/);
    } finally {
      ConsoleTransport.prototype.log = log;
    }
    expect(received).to.deep.equal(['Warning']);
  });

  it('writes the lines still buffered when the process exits, and installs one exit handler while sinks are open', async () => {
    const { code, stdout, stderr } = await runModule(`
      import { closeKrLogger, newKrLogger } from './src/index.ts';
      const exitHandlers = () => process.listenerCount('exit');
      const counts = [exitHandlers()];
      newKrLogger().addKrSinkConsole().registerKrLogger({ name: 'first' });
      counts.push(exitHandlers());
      newKrLogger().addKrSinkConsole().addKrSinkConsole().registerKrLogger({ name: 'second' });
      counts.push(exitHandlers());
      await closeKrLogger();
      counts.push(exitHandlers());
      const logger = newKrLogger().addKrSinkConsole().registerKrLogger({ name: 'last', passThru: true });
      counts.push(exitHandlers());
      process.stderr.write(JSON.stringify(counts));
      logger.information('last words');
      process.exit(3);
    `);
    expect(code, stderr).to.equal(3);
    const [initial, ...rest] = JSON.parse(stderr) as number[];
    expect(rest.map((count) => count - (initial as number))).to.deep.equal([1, 1, 0, 1]);
    expect(stdout).to.match(/^\[\d{2}:\d{2}:\d{2} INF\] last words\n$/);
  });
});
