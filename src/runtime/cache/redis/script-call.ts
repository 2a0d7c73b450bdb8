import { settleFrom, settleWith } from '../distributed-cache.ts';
import type { CacheReceiver } from '../distributed-cache.ts';
import type { CommandArgument, CommandReceiver } from './encoded-command.ts';
import type { LuaScript } from './redis-scripts.ts';

/** What a ScriptCall needs of its cache. */
export interface ScriptHost {
  /** Sends the call's command (see ScriptCall.commandName) and reports its outcome to the call. */
  run(call: ScriptCall<unknown>): void;
  /** True when the error says the server will not run scripts at all; the cache then stops sending them. */
  refusesScripts(error: unknown): boolean;
  toCacheError(command: string, error: unknown): Error;
}

/**
 * One run of a hot-path Lua script, reported to a receiver: EVALSHA first; the source once more when the server
 * has forgotten the script (a restart, SCRIPT FLUSH); and the command pairs .NET sends when the server refuses
 * scripts altogether.
 */
export class ScriptCall<R> implements CommandReceiver {
  private sendSource = false;

  constructor(
    private readonly host: ScriptHost,
    private readonly script: LuaScript,
    private readonly scriptArguments: readonly CommandArgument[],
    private readonly decode: (reply: unknown) => R,
    private readonly receiver: CacheReceiver<R>,
    private readonly withoutScripts: () => Promise<R>,
  ) {}

  get commandName(): 'evalsha' | 'eval' {
    return this.sendSource ? 'eval' : 'evalsha';
  }

  commandArguments(): CommandArgument[] {
    return [this.sendSource ? this.script.source : this.script.sha1, 1, ...this.scriptArguments];
  }

  received(reply: unknown): void {
    settleWith(this.receiver, () => this.decode(reply));
  }

  failed(error: unknown): void {
    if (!this.sendSource && error instanceof Error && error.message.startsWith('NOSCRIPT')) {
      this.sendSource = true;
      this.host.run(this);
    } else if (this.host.refusesScripts(error)) {
      settleFrom(this.withoutScripts(), this.receiver);
    } else {
      this.receiver.fail(this.host.toCacheError(this.commandName.toUpperCase(), error));
    }
  }
}
