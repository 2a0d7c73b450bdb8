import type { RedisCacheLog } from './connection-log.ts';
import { messageOf } from './connection-log.ts';
import type { CommandArgument } from './encoded-command.ts';
import type { SendCommand } from './redis-connection.ts';
import { GET_AND_REFRESH, refusesScripts, SET_ENTRY } from './redis-scripts.ts';
import type { LuaScript } from './redis-scripts.ts';

/**
 * Runs the hot path's Lua scripts: EVALSHA first; the source once more when the server has forgotten the script (a
 * restart, SCRIPT FLUSH); and the caller's fallback, .NET's command pairs, once the server refuses scripts altogether.
 */
export class ScriptRunner {
  /** True until the server refuses a script; from then on every call takes its fallback at once. */
  private scripting = true;

  constructor(
    private readonly send: SendCommand,
    private readonly log: RedisCacheLog,
    private readonly endpoint: string,
  ) {}

  /** False once the server has refused a script: calls then take their fallback. */
  get enabled(): boolean {
    return this.scripting;
  }

  /** The script's reply (raw: Buffers) as `decode` turns it, or the fallback's outcome. */
  run<R>(script: LuaScript, args: CommandArgument[], decode: (reply: unknown) => R, fallback: () => Promise<R>): Promise<R> {
    if (!this.scripting) return fallback();
    return this.send('evalsha', [script.sha1, 1, ...args], null).then(decode, (error: unknown) => this.retry(error, script, args, decode, fallback));
  }

  /** After a failed EVALSHA: the source once more when the server has only forgotten the script, else the fallback if scripts are refused. */
  private async retry<R>(error: unknown, script: LuaScript, args: CommandArgument[], decode: (reply: unknown) => R, fallback: () => Promise<R>): Promise<R> {
    if (!messageOf(error).startsWith('NOSCRIPT')) return this.fallBackIfRefused(error, fallback);
    let reply: unknown;
    try {
      reply = await this.send('eval', [script.source, 1, ...args], null);
    } catch (retryError) {
      return this.fallBackIfRefused(retryError, fallback);
    }
    return decode(reply);
  }

  /** Loads the scripts, on every (re)connection, so that the first requests after it need no second round trip. */
  loadAll(): void {
    if (!this.scripting) return;
    for (const script of [GET_AND_REFRESH, SET_ENTRY]) {
      this.send('script', ['LOAD', script.source], 'utf8').catch((error: unknown) => this.refused(error));
    }
  }

  private fallBackIfRefused<R>(error: unknown, fallback: () => Promise<R>): Promise<R> {
    if (this.refused(error)) return fallback();
    throw error;
  }

  /** True when the error says the server will not run scripts at all; scripting is then off for good, said once. */
  private refused(error: unknown): boolean {
    const reason = messageOf(error);
    if (!refusesScripts(reason)) return false;
    if (this.scripting) {
      this.scripting = false;
      this.log('information', `Redis ${this.endpoint} refuses Lua scripts (${reason}); using HMGET/EXPIRE and HSET/EXPIRE pairs instead.`);
    }
    return true;
  }
}
