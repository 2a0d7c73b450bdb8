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
    const cookie = findSessionCookie(created.headers)?.pair;
    if (created.status !== 200 || cookie === undefined) {
      throw new Error(`Session ${index + 1}: ${ROUTES.counter} answered ${created.status} without a session cookie.`);
    }
    cookies.push(cookie);
  }
  return seedSessions(baseUrl, cookies);
}

/**
 * Stores the value /session/get reads in every session, and returns the cookies as the server left them. Also what
 * an interleaved run does before each session route: the tutorial's IdleTimeout is 20 s, and a session left alone
 * while the other servers take their turns has expired by then.
 */
export async function seedSessions(baseUrl: string, cookies: readonly string[]): Promise<string[]> {
  const seededCookies: string[] = [];
  for (const [index, cookie] of cookies.entries()) {
    const seeded = await httpsGet(baseUrl + SET_SEEDED_VALUE, cookie);
    if (seeded.status !== 200) throw new Error(`Session ${index + 1}: ${SET_SEEDED_VALUE} answered ${seeded.status}.`);
    // A server may reissue the cookie on write; the latest one is the one a browser would keep.
    seededCookies.push(findSessionCookie(seeded.headers)?.pair ?? cookie);
  }
  return seededCookies;
}
