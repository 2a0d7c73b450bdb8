import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { currentContext, IDLE_BEFORE_SWITCH_OFF_MS, runTracked, runUntracked } from '../../src/runtime/context/current-context.ts';
import type { RouteContext } from '../../src/runtime/context/kr-context.ts';

/** Stand-ins for request contexts: the storage only hands back the object it was given. */
function contextNamed(name: string): RouteContext {
  return { name } as unknown as RouteContext;
}

describe('current context', () => {
  it('is the running synchronous block\'s, and nobody\'s once it has returned', () => {
    const context = contextNamed('sync');
    expect(runUntracked(context, () => currentContext())).to.equal(context);
    expect(currentContext()).to.equal(undefined);
  });

  it('follows each async block across its awaits while other blocks start and finish around it', async () => {
    const seen: [RouteContext, RouteContext | undefined][] = [];
    const block = async (context: RouteContext, waits: number): Promise<void> => {
      for (let wait = 0; wait < waits; wait++) {
        await delay(1);
        seen.push([context, currentContext()]);
      }
    };
    const contexts = ['a', 'b', 'c', 'd'].map(contextNamed);
    await Promise.all(contexts.map((context, index) => runTracked(context, () => block(context, index + 2))));
    expect(seen).to.have.length(2 + 3 + 4 + 5);
    for (const [context, found] of seen) expect(found).to.equal(context);
  });

  it('stays on for a block that awaits past the switch-off delay, started after every other block had ended', async function () {
    this.timeout(IDLE_BEFORE_SWITCH_OFF_MS * 4);
    // Ending the only run arms the idle check; the long block is under way when it fires.
    await runTracked(contextNamed('short'), async () => delay(1));
    const long = contextNamed('long');
    const found = await runTracked(long, async () => {
      await delay(IDLE_BEFORE_SWITCH_OFF_MS * 1.5);
      return currentContext();
    });
    expect(found).to.equal(long);
    expect(currentContext()).to.equal(undefined);
  });
});
