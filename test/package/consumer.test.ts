import { readdir } from 'node:fs/promises';
import { expect } from 'chai';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startProcess } from '../support/script-process.ts';
import type { ScriptProcess } from '../support/script-process.ts';
import { packAndInstall, typeCheck } from './packed-project.ts';
import type { PackedProject } from './packed-project.ts';

/** Asks /counter twice with one cookie jar: a working session answers 1, then 2. */
async function countTwice(server: ScriptProcess): Promise<number[]> {
  const jar = new CookieJar();
  const counts: number[] = [];
  for (let call = 0; call < 2; call++) {
    const response = await fetchUrl(`${server.url}/counter`, { jar });
    expect(response.status, response.body).to.equal(200);
    counts.push(response.json<{ counter: number }>().counter);
  }
  return counts;
}

describe('the packed package in a fresh project (npm pack, then npm install of the tarball)', function () {
  this.timeout(60_000);
  let project: PackedProject;
  let server: ScriptProcess | undefined;

  before(async function () {
    // npm pack builds dist/ through the prepare script, and the install may reach the registry.
    this.timeout(300_000);
    project = await packAndInstall();
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  after(async () => {
    await project?.remove();
  });

  it('ships compiled JavaScript and declarations, and none of the tests', async () => {
    const installed = `${project.dir}/node_modules/kestrun-ts`;
    expect(await readdir(installed)).to.include.members(['dist', 'package.json', 'README.md']);
    expect(await readdir(`${installed}/dist`)).to.include.members(['index.js', 'index.d.ts', 'index.js.map']);
    expect(await readdir(installed)).to.not.include('test');
  });

  it('runs a plain .mjs server with node and no loader: memory sessions count 1, then 2', async () => {
    server = await startProcess('counter-server.mjs', process.execPath, ['counter-server.mjs'], { cwd: project.dir });
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await countTwice(server)).to.deep.equal([1, 2]);
  });

  it("runs the README's first server as it is written, over HTTPS with a self-signed certificate", async () => {
    server = await startProcess('readme-server.mjs', process.execPath, ['readme-server.mjs'], { cwd: project.dir });
    expect(server.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await countTwice(server)).to.deep.equal([1, 2]);
  });

  it('type-checks a .ts consumer (NodeNext, strict, skipLibCheck false) with 0 errors, declarations included', async () => {
    const result = await typeCheck(project.dir);
    const errors = result.output.split('\n').filter((line) => line.includes('error TS'));
    expect(errors, result.output).to.deep.equal([]);
    expect(result.code).to.equal(0);
    expect(result.output).to.include('node_modules/kestrun-ts/dist/index.d.ts');
    expect(result.output).to.include('node_modules/kestrun-ts/dist/cmdlets/session/Add-KrSession.d.ts');
  });

  it('runs the same .ts consumer with npx tsx: memory sessions count 1, then 2', async () => {
    server = await startProcess('counter-server.ts', 'npx', ['--no-install', 'tsx', 'counter-server.ts'], {
      cwd: project.dir,
      group: true,
    });
    expect(await countTwice(server)).to.deep.equal([1, 2]);
  });
});
