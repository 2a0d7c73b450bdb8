import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { addKrMapRoute, newKrServer, resetKrRuntimeForTests, writeKrTextResponse } from '../../src/index.ts';
import { defaultHost } from '../../src/runtime/host/host-registry.ts';
import { fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';

describe('resetKrRuntimeForTests', () => {
  it('stops running servers, forgets every server name and the default, and removes the signal handlers', async () => {
    const signalListeners = (): number[] => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const defined = `reset-defined-${randomUUID()}`;
    newKrServer({ name: defined });
    const running = await startInProcess(() => addKrMapRoute({ path: '/hello', scriptBlock: () => writeKrTextResponse({ inputObject: 'hi' }) }));
    expect((await fetchUrl(`${running.url}/hello`)).body).to.equal('hi');
    const [sigint, sigterm] = signalListeners() as [number, number];

    await resetKrRuntimeForTests();

    expect(defaultHost()).to.equal(undefined);
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
