/**
 * Counter load on several sessions at once, for the failover and slot-migration tests: each session sends
 * `/increment` requests one after the other and tallies what came back, so that a test can compare each session's
 * final counter with the increments it was told had succeeded.
 */
import { getKrSessionInt32, setKrSessionInt32, writeKrJsonResponse } from '../../src/index.ts';
import type { RouteHandler } from '../../src/runtime/host/server-definition.ts';
import { CookieJar } from './https-client.ts';
import type { SessionApp } from './session-harness.ts';

/** `/increment` adds one to the session's counter `n`; `/read` answers it without writing; `/hello` has no session. */
export const COUNTER_ROUTES: Readonly<Record<string, RouteHandler>> = {
  '/increment': async () => {
    const n = (await getKrSessionInt32({ key: 'n' })) ?? 0;
    await setKrSessionInt32({ key: 'n', value: n + 1 });
    writeKrJsonResponse({ inputObject: { n: n + 1 } });
  },
  '/read': async () => {
    writeKrJsonResponse({ inputObject: { n: (await getKrSessionInt32({ key: 'n' })) ?? 0 } });
  },
  '/hello': () => {
    writeKrJsonResponse({ inputObject: { hello: 'world' } });
  },
};

/** Between two requests of one client: a client that retries at once, without starving the event loop. */
const PACE_MS = 2;

export interface Answer {
  readonly path: string;
  readonly status: number;
  /** performance.now() when the answer arrived, and how long it took. */
  readonly at: number;
  readonly ms: number;
}

export interface SessionTally {
  readonly jar: CookieJar;
  readonly answers: Answer[];
}

export interface LoadOptions {
  readonly sessions: number;
  /** The load stops once this returns true, or after maxMs. */
  readonly until: () => boolean;
  readonly maxMs: number;
}

/** Starts one session per tally with a first increment, which must succeed. */
export async function openSessions(app: SessionApp, count: number): Promise<SessionTally[]> {
  const tallies = Array.from({ length: count }, () => ({ jar: new CookieJar(), answers: [] as Answer[] }));
  for (const tally of tallies) await request(app, tally, '/increment');
  return tallies;
}

/** Runs every session's loop, and a `/hello` loop beside them, until `until()` or maxMs. */
export async function runCounterLoad(app: SessionApp, tallies: SessionTally[], options: Omit<LoadOptions, 'sessions'>): Promise<Answer[]> {
  const deadline = performance.now() + options.maxMs;
  const running = (): boolean => !options.until() && performance.now() < deadline;
  const hello: SessionTally = { jar: new CookieJar(), answers: [] };
  const loop = async (tally: SessionTally, path: string): Promise<void> => {
    while (running()) {
      await request(app, tally, path);
      // In-process requests that fail fast settle without I/O; the pause lets timers and sockets (the reconnect) run.
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
  };
  await Promise.all([...tallies.map((tally) => loop(tally, '/increment')), loop(hello, '/hello')]);
  return hello.answers;
}

export async function request(app: SessionApp, tally: SessionTally, path: string): Promise<Answer> {
  const started = performance.now();
  const response = await app.request(path, { jar: tally.jar });
  const at = performance.now();
  const answer = { path, status: response.status, at, ms: at - started };
  tally.answers.push(answer);
  return answer;
}

/** The session's counter as stored now. */
export async function finalCounter(app: SessionApp, tally: SessionTally): Promise<number> {
  const response = await app.request('/read', { jar: tally.jar });
  if (response.status !== 200) throw new Error(`/read answered ${response.status}: ${response.body}`);
  return response.json<{ n: number }>().n;
}

/** The longest time any of the answers took. */
export function longestMs(answers: readonly Answer[]): number {
  return answers.reduce((longest, answer) => Math.max(longest, answer.ms), 0);
}

/** Increments answered 200 and increments that failed, per session. */
export function incrementCounts(tally: SessionTally): { succeeded: number; failed: number } {
  const increments = tally.answers.filter((answer) => answer.path === '/increment');
  const succeeded = increments.filter((answer) => answer.status === 200).length;
  return { succeeded, failed: increments.length - succeeded };
}
