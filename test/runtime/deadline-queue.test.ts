import { expect } from 'chai';
import { DeadlineQueue } from '../../src/runtime/timing/deadline-queue.ts';

interface Operation {
  readonly name: string;
  done: boolean;
}

function queueOf(durationMs: number, expired: string[]): DeadlineQueue<Operation> {
  return new DeadlineQueue<Operation>(durationMs, {
    isPending: (operation) => !operation.done,
    expire: (operation) => expired.push(operation.name),
  });
}

const until = async (condition: () => boolean, limitMs = 2000): Promise<void> => {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > limitMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('DeadlineQueue', () => {
  it('expires what is still pending once its duration has passed, and nothing earlier', async () => {
    const expired: string[] = [];
    const queue = queueOf(60, expired);
    const started = performance.now();
    queue.add({ name: 'a', done: false });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(expired).to.deep.equal([]);
    await until(() => expired.length === 1);
    expect(expired).to.deep.equal(['a']);
    expect(performance.now() - started).to.be.at.least(59);
  });

  it('never expires what finished in time', async () => {
    const expired: string[] = [];
    const queue = queueOf(30, expired);
    const finished = { name: 'finished', done: false };
    const late = { name: 'late', done: false };
    queue.add(finished);
    queue.add(late);
    finished.done = true;
    await until(() => expired.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(expired).to.deep.equal(['late']);
  });

  it('gives each entry its own deadline, measured from when it was added', async () => {
    const expired: string[] = [];
    const queue = queueOf(80, expired);
    queue.add({ name: 'first', done: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    queue.add({ name: 'second', done: false });
    await until(() => expired.length === 1);
    expect(expired).to.deep.equal(['first']);
    await until(() => expired.length === 2);
    expect(expired).to.deep.equal(['first', 'second']);
  });

  it('drops finished entries from its head as new ones arrive, so it holds only what is in flight', () => {
    const queue = queueOf(60_000, []);
    const operations = Array.from({ length: 5000 }, (_, index) => ({ name: String(index), done: false }));
    for (const operation of operations) {
      queue.add(operation);
      operation.done = true;
    }
    expect(queue.size).to.equal(1);
  });

  it('waits for a deadline beyond the range of a timer (24.8 days) without waking up every millisecond', async () => {
    let sweeps = 0;
    const queue = new DeadlineQueue<Operation>(3_000_000_000, {
      isPending: (operation) => {
        sweeps += 1;
        return !operation.done;
      },
      expire: () => {
        throw new Error('expired early');
      },
    });
    queue.add({ name: 'long', done: false });
    const afterAdd = sweeps;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sweeps - afterAdd).to.equal(0);
  });
});
