/**
 * The sessions wrk rotates through: created before measuring (one /session/counter call each, which is what makes a
 * session exist under saveUninitialized=false) and seeded with the value /session/get reads, so that a 404 during
 * the measurement is a real error.
 */
import { SET_SEEDED_VALUE } from '../contract.ts';
import { ROUTES } from '../targets.ts';
import { httpsGet } from './https-get.ts';
import { findSessionCookie } from './session-cookie.ts';

export async function createSeededSessions(baseUrl: string, count: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let index = 0; index < count; index++) {
    const created = await httpsGet(baseUrl + ROUTES.counter);
    let cookie = findSessionCookie(created.headers)?.pair;
    if (created.status !== 200 || cookie === undefined) {
      throw new Error(`Session ${index + 1}: ${ROUTES.counter} answered ${created.status} without a session cookie.`);
    }
    const seeded = await httpsGet(baseUrl + SET_SEEDED_VALUE, cookie);
    if (seeded.status !== 200) throw new Error(`Session ${index + 1}: ${SET_SEEDED_VALUE} answered ${seeded.status}.`);
    // A server may reissue the cookie on write; the latest one is the one a browser would keep.
    cookie = findSessionCookie(seeded.headers)?.pair ?? cookie;
    cookies.push(cookie);
  }
  return cookies;
}
