import type { KrLogger } from '../logging/kr-logger.ts';
import { RequestSession } from '../session/request-session.ts';
import type { SessionEngine } from '../session/session-engine.ts';
import type { KrRequest } from './kr-request.ts';
import { KrResponse } from './kr-response.ts';

/** What a route may know of the server that serves it. */
export interface KrServerHandle {
  readonly name: string;
  readonly logger: KrLogger;
}

/** Everything a route sees of its request: what $Context is in a Kestrun route script block. */
export interface KrContext {
  readonly server: KrServerHandle;
  readonly request: KrRequest;
  /** Buffered: sent once the route has returned and its session is committed. */
  readonly response: KrResponse;
}

/** One request's context as the runtime keeps it: the route's view, and the session the session cmdlets reach. */
export class RouteContext implements KrContext {
  readonly response = new KrResponse();
  private requestSession: RequestSession | undefined;

  constructor(
    readonly server: KrServerHandle,
    readonly request: KrRequest,
    private readonly sessions: SessionEngine | undefined,
  ) {}

  /** Undefined when the server has no session; made on first use, and loads nothing until a cmdlet reads it. */
  get session(): RequestSession | undefined {
    if (this.requestSession === undefined && this.sessions !== undefined) this.requestSession = new RequestSession(this.sessions, this.request);
    return this.requestSession;
  }

  /** The session if a session cmdlet touched it during this request, so that it may need a commit. */
  get openedSession(): RequestSession | undefined {
    return this.requestSession;
  }
}
