import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { addKrMapRoute, newKrLogger, newKrServer, resetKrRuntimeForTests, writeKrTextResponse } from '../../src/index.ts';
import { getLogger } from '../../src/runtime/logging/logger-manager.ts';
import { defaultHost } from '../../src/runtime/host/host-registry.ts';
import { fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';

describe('resetKrRuntimeForTests', () => {
  it('stops running servers, forgets every server and logger name and the default, and removes the signal handlers', async () => {
    const loggerName = `reset-logger-${randomUUID()}`;
    newKrLogger().addKrSinkConsole().registerKrLogger({ name: loggerName });
    const exitListeners = process.listenerCount('exit');
    const signalListeners = (): number[] => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const defined = `reset-defined-${randomUUID()}`;
    newKrServer({ name: defined });
    const running = await startInProcess(() => addKrMapRoute({ path: '/hello', scriptBlock: () => writeKrTextResponse({ inputObject: 'hi' }) }));
    expect((await fetchUrl(`${running.url}/hello`)).body).to.equal('hi');
    const [sigint, sigterm] = signalListeners() as [number, number];

    await resetKrRuntimeForTests();

    expect(defaultHost()).to.equal(undefined);
    expect(getLogger(loggerName)).to.equal(undefined);
    expect(process.listenerCount('exit')).to.be.below(exitListeners);
    expect(signalListeners()).to.deep.equal([sigint - 1, sigterm - 1]);
    const refused = await fetchUrl(`${running.url}/hello`).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).to.equal('ECONNREFUSED');
    // The names are free again.
    expect(newKrServer({ name: defined }).name).to.equal(defined);
    expect(newKrServer({ name: running.name }).name).to.equal(running.name);
    await resetKrRuntimeForTests();
  });
});
