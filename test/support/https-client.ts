import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { connect as connectHttp2 } from 'node:http2';

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Every Set-Cookie header of the response. */
  readonly setCookies: readonly string[];
  json<T = Record<string, unknown>>(): T;
}

/** One simulated client's cookies, as a browser or a PowerShell WebRequestSession keeps them. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const pair = header.split(';')[0] ?? '';
      const equals = pair.indexOf('=');
      if (equals > 0) this.cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string | undefined {
    return this.cookies.size === 0 ? undefined : [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface RequestOptions {
  readonly jar?: CookieJar;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

/** A finished response as the tests read it; its cookies go into the jar, as a browser keeps them. */
function receivedResult(status: number, headers: IncomingHttpHeaders, chunks: readonly Buffer[], jar: CookieJar | undefined): HttpResult {
  const body = Buffer.concat(chunks).toString('utf8');
  const setCookies = headers['set-cookie'] ?? [];
  jar?.store(setCookies);
  return { status, headers, body, setCookies, json: <T>() => JSON.parse(body) as T };
}

/**
 * A real HTTP(S) request over a fresh connection, skipping certificate checks as Kestrun's tutorial tests do
 * (-SkipCertificateCheck): the servers use throw-away self-signed certificates.
 */
export function fetchUrl(url: string, options: RequestOptions = {}): Promise<HttpResult> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const cookie = options.jar?.header();
  return new Promise<HttpResult>((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: { ...(cookie === undefined ? {} : { cookie }), ...options.headers },
        rejectUnauthorized: false,
        agent: false,
        timeout: options.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(receivedResult(res.statusCode ?? 0, res.headers, chunks, options.jar)));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`Request to ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** The same over HTTP/2, negotiated through ALPN on a fresh TLS connection, as a browser would. */
export function fetchHttp2(url: string, options: RequestOptions = {}): Promise<HttpResult> {
  const target = new URL(url);
  const cookie = options.jar?.header();
  return new Promise<HttpResult>((resolve, reject) => {
    const session = connectHttp2(target.origin, { rejectUnauthorized: false });
    session.on('error', reject);
    const stream = session.request({
      ':method': options.method ?? 'GET',
      ':path': `${target.pathname}${target.search}`,
      ...(cookie === undefined ? {} : { cookie }),
      ...options.headers,
    });
    stream.setTimeout(options.timeoutMs ?? 15_000, () => stream.close());
    const chunks: Buffer[] = [];
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    stream.on('response', (received) => {
      status = Number(received[':status']);
      headers = received as IncomingHttpHeaders;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => {
      session.close();
      if (status === 0) {
        reject(new Error(`Request to ${url} closed without a response (code ${stream.rstCode ?? 'none'})`));
        return;
      }
      resolve(receivedResult(status, headers, chunks, options.jar));
    });
    stream.end();
  });
}
