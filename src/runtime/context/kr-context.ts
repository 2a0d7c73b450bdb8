import type { Context } from 'hono';
import type { HostRecord } from '../host/host-registry.ts';
import type { RequestSession } from '../session/request-session.ts';
import type { SessionEngine } from '../session/session-engine.ts';
import { KrRequest } from './kr-request.ts';
import { KrResponse } from './kr-response.ts';

/** Everything a route sees of its request: what $Context is in a Kestrun route script block. */
export class KrContext {
  readonly request: KrRequest;
  readonly response = new KrResponse();
  private requestSession: RequestSession | undefined;

  constructor(
    readonly host: HostRecord,
    readonly hono: Context,
    private readonly sessions: SessionEngine | undefined,
  ) {
    this.request = new KrRequest(hono);
  }

  /** Undefined when the server has no session; made on first use, and loads nothing until a cmdlet reads it. */
  get session(): RequestSession | undefined {
    if (this.requestSession === undefined && this.sessions !== undefined) this.requestSession = this.sessions.open(this.request);
    return this.requestSession;
  }

  /** The session if a session cmdlet touched it during this request, so that it may need a commit. */
  get openedSession(): RequestSession | undefined {
    return this.requestSession;
  }
}
