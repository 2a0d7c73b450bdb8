import { DeadlineQueue } from './deadline-queue.ts';

/** One operation racing its deadline: whichever comes first settles it. */
interface Race {
  settled: boolean;
  expire(): void;
}

/**
 * Bounds promises that share one duration, such as a session's IOTimeout: past it, the promise returned by `race`
 * rejects with the caller's timeout error, whatever the operation does later. One timer serves every race.
 */
export class IoDeadline {
  private readonly queue: DeadlineQueue<Race>;

  constructor(readonly durationMs: number) {
    this.queue = new DeadlineQueue<Race>(durationMs, {
      isPending: (race) => !race.settled,
      expire: (race) => race.expire(),
    });
  }

  /** The operation's outcome, or `timeoutError()` once the duration has passed without one. */
  race<T>(operation: Promise<T>, timeoutError: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const race: Race = {
        settled: false,
        expire: () => {
          race.settled = true;
          reject(timeoutError());
        },
      };
      this.queue.add(race);
      operation.then(
        (value) => {
          race.settled = true;
          resolve(value);
        },
        (error: unknown) => {
          race.settled = true;
          reject(error);
        },
      );
    });
  }
}
