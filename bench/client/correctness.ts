/**
 * Behaviour a server must show before it gets a figure: a fast wrong answer measures nothing. Each check stops at
 * the first deviation, since everything after it would only repeat the same failure.
 */
import { COUNTER_MESSAGE, HELLO_TEXT, SEEDED_KEY, SEEDED_VALUE, SET_SEEDED_VALUE } from '../contract.ts';
import { ROUTES } from '../targets.ts';
import type { ServerTarget } from '../targets.ts';
import { httpsGet } from './https-get.ts';
import type { HttpsResponse } from './https-get.ts';
import { findSessionCookie } from './session-cookie.ts';

const REQUIRED_COOKIE_ATTRIBUTES = ['httponly', 'secure', 'samesite=lax'];

/** Resolves to why the server failed, or undefined when it behaves. */
export async function findMisbehaviour(target: ServerTarget, baseUrl: string): Promise<string | undefined> {
  try {
    await checkHello(baseUrl);
    if (target.sessions) await checkSession(baseUrl);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function checkHello(baseUrl: string): Promise<void> {
  const response = await httpsGet(baseUrl + ROUTES.hello);
  expect(response.status === 200 && response.body === HELLO_TEXT, ROUTES.hello, `200 "${HELLO_TEXT}"`, response);
}

async function checkSession(baseUrl: string): Promise<void> {
  let cookie: string | undefined;
  const get = async (path: string): Promise<HttpsResponse> => {
    const response = await httpsGet(baseUrl + path, cookie);
    const issued = findSessionCookie(response.headers);
    if (issued !== undefined) {
      const missing = REQUIRED_COOKIE_ATTRIBUTES.filter((attribute) => !issued.attributes.has(attribute));
      if (missing.length > 0) throw new Error(`${path}: session cookie lacks ${missing.join(', ')}: ${String(response.headers['set-cookie'])}`);
      cookie = issued.pair;
    }
    return response;
  };

  for (const expected of [1, 2, 3]) {
    const response = await get(ROUTES.counter);
    const body = parseJson(response.body);
    const ok = response.status === 200 && body?.['message'] === COUNTER_MESSAGE && body['counter'] === expected;
    expect(ok, `${ROUTES.counter} #${expected}`, `200 {"message":"${COUNTER_MESSAGE}","counter":${expected}}`, response);
    if (cookie === undefined) throw new Error(`${ROUTES.counter} set no session cookie.`);
  }

  const unset = await get(ROUTES.get);
  expect(unset.status === 404, `${ROUTES.get} before it is set`, '404', unset);

  const set = await get(SET_SEEDED_VALUE);
  expect(set.status === 200, SET_SEEDED_VALUE, '200', set);

  const read = await get(ROUTES.get);
  const body = parseJson(read.body);
  const ok = read.status === 200 && body?.['key'] === SEEDED_KEY && body['value'] === SEEDED_VALUE;
  expect(ok, `${ROUTES.get} after it is set`, `200 {"key":"${SEEDED_KEY}","value":"${SEEDED_VALUE}"}`, read);
}

function expect(ok: boolean, what: string, wanted: string, response: HttpsResponse): void {
  if (!ok) throw new Error(`${what}: expected ${wanted}, got ${response.status} ${JSON.stringify(response.body.slice(0, 200))}`);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
