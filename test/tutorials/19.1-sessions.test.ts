import { expect } from 'chai';
import { startScript } from '../support/script-process.ts';
import type { ScriptProcess } from '../support/script-process.ts';
import { sessionTutorialAssertions } from './session-tutorial-assertions.ts';

/** The 19.1 script with the in-memory cache, over real HTTPS. */
describe('tutorial 19.1 sessions (scripts/19.1-sessions.ts)', function () {
  this.timeout(60_000);
  let server: ScriptProcess;

  before(async () => {
    server = await startScript('19.1-sessions.ts');
  });

  after(async () => {
    expect(await server?.stop()).to.equal(0);
  });

  it('listens over HTTPS on 127.0.0.1', () => {
    expect(server.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  sessionTutorialAssertions(() => server);
});
