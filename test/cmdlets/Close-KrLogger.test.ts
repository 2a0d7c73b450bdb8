import { expectCmdletRejection } from '../support/cmdlet-helpers.ts';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { closeKrLogger, KrParameterBindingError, newKrLogger, newKrServer, stopKrServer } from '../../src/index.ts';
import type { KrLogger } from '../../src/index.ts';
import { captureOutput } from '../support/cmdlet-helpers.ts';

describe('Close-KrLogger (closeKrLogger)', () => {
  const servers: string[] = [];

  function serverLogger(input: { loggerName?: string } = {}): KrLogger {
    const name = `close-kr-logger-server-${randomUUID()}`;
    servers.push(name);
    return newKrServer({ name, default: true, ...input }).logger;
  }

  function register(name: string, setAsDefault = false): KrLogger {
    const logger = newKrLogger().addKrSinkConsole().registerKrLogger({ name, setAsDefault, passThru: true });
    if (logger === undefined) throw new Error('passThru returned no logger');
    return logger;
  }

  afterEach(async () => {
    for (const name of servers.splice(0)) await stopKrServer({ server: name, quiet: true });
    await closeKrLogger();
  });

  it('closes every registered logger: none writes afterwards', async () => {
    const first = register(`close-a-${randomUUID()}`);
    const second = register(`close-b-${randomUUID()}`);
    await closeKrLogger();
    expect(first.isEnabled('Fatal')).to.equal(false);
    expect(second.isEnabled('Fatal')).to.equal(false);
    const { stdout } = await captureOutput(() => {
      first.fatal('first-after-close');
      second.fatal('second-after-close');
    });
    expect(stdout).not.to.contain('after-close');
  });

  it('flushes what was logged just before it, so no line is lost at exit', async () => {
    const logger = register(`close-flush-${randomUUID()}`);
    const { result: writtenByClose } = await captureOutput(async (stdoutSoFar) => {
      logger.information('last-words');
      await closeKrLogger();
      // Read before the sink's own setImmediate turn: the line must be out because close flushed it.
      return stdoutSoFar();
    });
    expect(writtenByClose).to.match(/\[\d{2}:\d{2}:\d{2} INF\] last-words\n/);
  });

  it('returns a promise that resolves to nothing', async () => {
    const result: unknown = await closeKrLogger();
    expect(result).to.equal(undefined);
  });

  it('forgets the default logger: servers created afterwards no longer use the closed one', async () => {
    const logger = register(`close-default-${randomUUID()}`, true);
    expect(serverLogger()).to.equal(logger);
    await closeKrLogger();
    const after = serverLogger();
    expect(after).not.to.equal(logger);
    // The fallback default is usable, not a closed logger.
    expect(after.isEnabled('Information')).to.equal(true);
  });

  it('forgets names, so a name can be registered again and the old logger is not found', async () => {
    const name = `close-name-${randomUUID()}`;
    const old = register(name);
    await closeKrLogger();
    expect(serverLogger({ loggerName: name })).not.to.equal(old);
    const fresh = register(name);
    expect(fresh).not.to.equal(old);
    expect(serverLogger({ loggerName: name })).to.equal(fresh);
  });

  it('can be called again when nothing is open', async () => {
    await closeKrLogger();
    await closeKrLogger();
  });

  it('rejects any parameter, naming it', async () => {
    const error = await expectCmdletRejection(
      () => closeKrLogger({ name: 'x' } as unknown as Record<string, never>),
      "Close-KrLogger: A parameter cannot be found that matches parameter name 'name'.",
    );
    expect(error).to.be.instanceOf(KrParameterBindingError);
  });

  it('rejects a non-object argument', async () => {
    const error = await expectCmdletRejection(() => closeKrLogger('all' as unknown as Record<string, never>), /but got string\.$/);
    expect(error).to.be.instanceOf(KrParameterBindingError);
  });
});
