import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);
const OUR_IOREDIS = fileURLToPath(new URL('../../src/runtime/cache/redis/ioredis.ts', import.meta.url));
const LIBRARY = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

/** Whether String.prototype has fast properties once `specifier` is loaded, in a fresh Node process that may ask V8. */
async function stringPrototypeIsFastAfterLoading(specifier: string): Promise<boolean> {
  const program = `await import(${JSON.stringify(specifier)}); console.log(eval('%HasFastProperties(String.prototype)'));`;
  const { stdout } = await run(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '--eval', program]);
  return JSON.parse(stdout.trim()) as boolean;
}

describe('ioredis as kestrun-ts loads it', function () {
  this.timeout(30_000);

  it('leaves String.prototype in dictionary mode when loaded on its own, which is what the wrapper module undoes', async () => {
    expect(await stringPrototypeIsFastAfterLoading('ioredis')).to.equal(false);
  });

  it('keeps String.prototype fast once loaded through src/runtime/cache/redis/ioredis.ts', async () => {
    expect(await stringPrototypeIsFastAfterLoading(OUR_IOREDIS)).to.equal(true);
  });

  it('keeps String.prototype fast once the whole library is loaded, as a script does', async () => {
    expect(await stringPrototypeIsFastAfterLoading(LIBRARY)).to.equal(true);
  });
});
