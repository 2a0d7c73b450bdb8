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
  /** Undefined when the server has no session; loads nothing until a session cmdlet touches it. */
  readonly session: RequestSession | undefined;

  constructor(
    readonly host: HostRecord,
    readonly hono: Context,
    sessions: SessionEngine | undefined,
  ) {
    this.request = new KrRequest(hono);
    this.session = sessions?.open(this.request);
  }
}
