import { performance } from 'node:perf_hooks';

/**
 * Bounds many operations that share one duration with a single timer. A timer per operation costs a Timeout
 * object, two timer-list updates and, under AsyncLocalStorage, async-hook calls; on a session request that was a
 * tenth of the work. Since every entry gets the same duration, deadlines arrive in insertion order: the queue is
 * FIFO, settled entries leave from the head as new ones arrive, and the one timer only ever waits for the head.
 */
export interface DeadlineHandler<T> {
  /** False once the operation has finished; it then needs no deadline any more. */
  isPending(item: T): boolean;
  /** Called once the item's deadline passes while it is still pending. */
  expire(item: T): void;
}

const COMPACT_AFTER = 1024;
/** The longest delay Node's timers keep: setTimeout and setInterval run a longer one after 1 ms. */
export const MAX_TIMER_DELAY_MS = 0x7fffffff;

export class DeadlineQueue<T> {
  private items: (T | undefined)[] = [];
  private deadlines: number[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly durationMs: number,
    private readonly handler: DeadlineHandler<T>,
  ) {}

  add(item: T): void {
    this.dropSettledHead();
    this.items.push(item);
    this.deadlines.push(performance.now() + this.durationMs);
    if (this.timer === undefined) this.arm(this.durationMs);
  }

  /** Entries still waiting, settled ones at the tail included; for tests. */
  get size(): number {
    return this.items.length - this.head;
  }

  private dropSettledHead(): void {
    const { items, handler } = this;
    while (this.head < items.length && !handler.isPending(items[this.head] as T)) items[this.head++] = undefined;
    if (this.head === items.length) {
      this.items = [];
      this.deadlines = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= items.length) {
      this.items = items.slice(this.head);
      this.deadlines = this.deadlines.slice(this.head);
      this.head = 0;
    }
  }

  /** Waits at most MAX_TIMER_DELAY_MS and then looks again. */
  private arm(delayMs: number): void {
    this.timer = setTimeout(() => this.sweep(), Math.min(MAX_TIMER_DELAY_MS, Math.max(1, Math.ceil(delayMs))));
    // A pending operation keeps the process alive through its own socket, never through its deadline.
    this.timer.unref();
  }

  private sweep(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.head < this.items.length && (this.deadlines[this.head] as number) <= now) {
      const item = this.items[this.head] as T;
      this.items[this.head++] = undefined;
      if (this.handler.isPending(item)) this.handler.expire(item);
    }
    this.dropSettledHead();
    if (this.head < this.items.length) this.arm((this.deadlines[this.head] as number) - now);
  }
}
