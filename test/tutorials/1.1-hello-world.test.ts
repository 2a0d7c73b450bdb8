import { expect } from 'chai';
import { fetchUrl } from '../support/https-client.ts';
import { startScript } from '../support/script-process.ts';
import type { ScriptProcess } from '../support/script-process.ts';

describe('tutorial 1.1 hello world (scripts/1.1-hello-world.ts)', function () {
  this.timeout(60_000);
  let server: ScriptProcess;

  before(async () => {
    server = await startScript('1.1-hello-world.ts');
  });

  after(async () => {
    await server?.stop();
  });

  it('listens over plain HTTP on 127.0.0.1', () => {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers GET /hello with exactly "Hello, World!" as text/plain; charset=utf-8', async () => {
    const response = await fetchUrl(`${server.url}/hello`);
    expect(response.status).to.equal(200);
    expect(response.body).to.equal('Hello, World!');
    expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
  });

  it('answers 405 with Allow for another verb and an empty 404 for an unknown path', async () => {
    const post = await fetchUrl(`${server.url}/hello`, { method: 'POST' });
    expect(post.status).to.equal(405);
    expect(post.headers.allow).to.equal('GET');
    const missing = await fetchUrl(`${server.url}/nowhere`);
    expect(missing.status).to.equal(404);
    expect(missing.body).to.equal('');
  });

  it('stops gracefully on SIGTERM with exit code 0', async () => {
    const own = await startScript('1.1-hello-world.ts');
    expect((await fetchUrl(`${own.url}/hello`)).status).to.equal(200);
    expect(await own.stop()).to.equal(0);
    expect(own.output()).to.include('Kestrun server stopped.');
  });

  it('rejects an unknown script parameter with one line and exit code 1', async () => {
    const failure = await startScript('1.1-hello-world.ts', { args: ['--prot', '1'] }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.have.property('code', 1);
    expect(failure).to.have.property('output').that.matches(/^A parameter cannot be found that matches parameter name '--prot'\./m);
  });
});
