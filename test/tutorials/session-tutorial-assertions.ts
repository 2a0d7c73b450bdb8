import { expect } from 'chai';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import type { ScriptProcess } from '../support/script-process.ts';

/**
 * Every assertion of Kestrun's Tutorial-19.1-Sessions.Tests.ps1 (which Tutorial-19.2-Sessions-Redis.Tests.ps1
 * repeats), plus the cookie and cache-header rules, for a running session tutorial script. Each simulated
 * client has its own cookie jar, as each PowerShell WebRequestSession does.
 */
export function sessionTutorialAssertions(running: () => ScriptProcess): void {
  const get = (path: string, jar?: CookieJar) => fetchUrl(`${running().url}${path}`, jar === undefined ? {} : { jar });

  it('/hello returns 200 and Hello, Session World!', async () => {
    const response = await get('/hello');
    expect(response.status).to.equal(200);
    expect(response.body).to.match(/Hello, Session World!/);
    expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
  });

  it('counter is 1 then 2 within a session and 1 in a fresh one', async () => {
    const a = new CookieJar();
    expect((await get('/session/counter', a)).json()).to.deep.equal({ message: 'Counter incremented', counter: 1 });
    expect((await get('/session/counter', a)).json().counter).to.equal(2);
    expect((await get('/session/counter', new CookieJar())).json().counter).to.equal(1);
  });

  it('whoami is 401 before login, admin after login, and 401 again after logout', async () => {
    const jar = new CookieJar();
    const before = await get('/session/whoami', jar);
    expect(before.status).to.equal(401);
    expect(before.json()).to.deep.equal({ error: 'No active session or user not set' });
    const login = await get('/session/login?user=admin', jar);
    expect(login.status).to.equal(200);
    expect(login.json()).to.deep.equal({ message: 'Logged in', user: 'admin' });
    const whoami = await get('/session/whoami', jar);
    expect(whoami.status).to.equal(200);
    expect(whoami.json().user).to.equal('admin');
    const logout = await get('/session/logout', jar);
    expect(logout.status).to.equal(200);
    expect(logout.json()).to.deep.equal({ message: 'Session cleared' });
    expect((await get('/session/whoami', jar)).status).to.equal(401);
  });

  it('set echoes key and value, get returns it, and a fresh session gets 404', async () => {
    const jar = new CookieJar();
    const set = await get('/session/set?key=color&value=purple', jar);
    expect(set.status).to.equal(200);
    expect(set.json()).to.deep.equal({ message: 'Stored in session', key: 'color', value: 'purple' });
    const read = await get('/session/get?key=color', jar);
    expect(read.status).to.equal(200);
    expect(read.json()).to.deep.equal({ key: 'color', value: 'purple' });
    const fresh = await get('/session/get?key=color', new CookieJar());
    expect(fresh.status).to.equal(404);
    expect(fresh.json()).to.deep.equal({ error: "Key 'color' not found in session" });
  });

  it('answers missing query parameters with 400 and an example', async () => {
    expect((await get('/session/login')).json()).to.deep.equal({
      error: "Missing 'user' query parameter",
      example: '/session/login?user=max',
    });
    expect((await get('/session/login?user=%20%20')).status).to.equal(400);
    const set = await get('/session/set?key=color');
    expect(set.status).to.equal(400);
    expect(set.json()).to.deep.equal({
      error: "Missing 'key' and/or 'value' query parameter(s)",
      example: '/session/set?key=color&value=purple',
    });
    expect((await get('/session/get')).json()).to.deep.equal({
      error: "Missing 'key' query parameter",
      example: '/session/get?key=color',
    });
  });

  it('sends JSON as application/json; charset=utf-8, indented as ConvertTo-Json does', async () => {
    const response = await get('/session/counter', new CookieJar());
    expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(response.body).to.equal('{\n  "message": "Counter incremented",\n  "counter": 1\n}');
  });

  it('issues Kr.Session with path, secure, samesite=lax and httponly, in ASP.NET order, with the no-cache headers', async () => {
    const response = await get('/session/counter', new CookieJar());
    expect(response.setCookies).to.have.length(1);
    expect(response.setCookies[0]).to.match(/^Kr\.Session=[^;]+; path=\/; secure; samesite=lax; httponly$/);
    expect(response.headers['cache-control']).to.equal('no-cache,no-store');
    expect(response.headers.pragma).to.equal('no-cache');
    expect(response.headers.expires).to.equal('-1');
  });

  it('sets the cookie only on the establishing response', async () => {
    const jar = new CookieJar();
    expect((await get('/session/counter', jar)).setCookies).to.have.length(1);
    const second = await get('/session/counter', jar);
    expect(second.setCookies).to.have.length(0);
    expect(second.headers['cache-control']).to.equal(undefined);
    expect((await get('/session/logout', jar)).setCookies).to.have.length(0);
  });

  it('issues no cookie for reads of an empty session, nor for routes without a session', async () => {
    expect((await get('/session/whoami')).setCookies).to.have.length(0);
    expect((await get('/session/logout')).setCookies).to.have.length(0);
    expect((await get('/hello')).setCookies).to.have.length(0);
  });

  it('starts a new session, without an error, for a tampered, forged, truncated or oversized cookie', async () => {
    const jar = new CookieJar();
    await get('/session/counter', jar);
    expect((await get('/session/counter', jar)).json().counter).to.equal(2);
    const genuine = jar.get('Kr.Session') as string;
    const [key, keyId, mac] = genuine.split('.') as [string, string, string];
    const variants = {
      tampered: `${key}.${keyId}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`,
      forged: `${key.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}.${keyId}.${mac}`,
      truncated: genuine.slice(0, 40),
      oversized: `${genuine}${'x'.repeat(4000)}`,
      garbage: '%E0%A4%A',
    };
    for (const [kind, value] of Object.entries(variants)) {
      const forgedJar = new CookieJar();
      forgedJar.set('Kr.Session', value);
      const response = await get('/session/counter', forgedJar);
      expect(response.status, kind).to.equal(200);
      expect(response.json().counter, kind).to.equal(1);
      expect(response.setCookies, kind).to.have.length(1);
    }
    await running().waitForOutput(/Error unprotecting the session cookie/);
    expect((await get('/session/counter', jar)).json().counter).to.equal(3);
  });
}
