import type { RouteContext } from './kr-context.ts';
import { isThenable, runTracked, runUntracked } from './current-context.ts';

const AsyncFunction = (async () => {}).constructor;

/**
 * Runs one route's script block so that the cmdlets it calls find its context, as cheaply as the block allows.
 * An `async` function is always tracked across its awaits. A plain function is tracked on its first call and judged
 * by what it returns: one that returned no promise runs untracked from then on. Should it return a promise later,
 * that call's callbacks may not find their request, so a warning says to declare it `async`, and it is tracked again.
 */
export class ScriptBlockRunner {
  private tracked: boolean | undefined;

  constructor(
    private readonly scriptBlock: (context: RouteContext) => unknown,
    private readonly warn: (message: string) => void,
  ) {
    this.tracked = scriptBlock instanceof AsyncFunction ? true : undefined;
  }

  /** What the script block returned: a promise when it has more to do. */
  run(context: RouteContext): unknown {
    if (this.tracked === false) {
      const result = runUntracked(context, this.scriptBlock);
      if (isThenable(result)) this.trackFromNowOn();
      return result;
    }
    const result = runTracked(context, this.scriptBlock);
    this.tracked ??= isThenable(result);
    return result;
  }

  private trackFromNowOn(): void {
    this.tracked = true;
    this.warn(
      'returned a promise after returning plain values before; its context follows awaits from its next call on. ' +
        'Declare the script block async so that every call is tracked.',
    );
  }
}
