import { DeadlineQueue } from './deadline-queue.ts';

/** One operation racing its deadline: whichever comes first settles the promise `race` returned. */
class Race<T> {
  settled = false;

  constructor(
    private readonly resolve: (value: T) => void,
    private readonly reject: (error: unknown) => void,
    private readonly timeoutMessage: string,
    private readonly timeoutError: (message: string) => Error,
  ) {}

  succeeded(value: T): void {
    this.settled = true;
    this.resolve(value);
  }

  failed(error: unknown): void {
    this.settled = true;
    this.reject(error);
  }

  expire(): void {
    this.settled = true;
    this.reject(this.timeoutError(this.timeoutMessage));
  }
}

/**
 * Bounds promises that share one duration, such as a session's IOTimeout: past it, the promise returned by `race`
 * rejects with the timeout error, whatever the operation does later. One timer serves every race.
 */
export class IoDeadline {
  private readonly queue: DeadlineQueue<Race<unknown>>;

  constructor(
    readonly durationMs: number,
    private readonly timeoutError: (message: string) => Error,
  ) {
    this.queue = new DeadlineQueue<Race<unknown>>(durationMs, {
      isPending: (race) => !race.settled,
      expire: (race) => race.expire(),
    });
  }

  /** The operation's outcome, or the timeout error with `timeoutMessage` once the duration has passed without one. */
  race<T>(operation: Promise<T>, timeoutMessage: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const race = new Race(resolve, reject, timeoutMessage, this.timeoutError);
      this.queue.add(race as Race<unknown>);
      operation.then(
        (value) => race.succeeded(value),
        (error: unknown) => race.failed(error),
      );
    });
  }
}
