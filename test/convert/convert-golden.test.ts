import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertPowerShell } from '../../src/convert/convert.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const FIXTURES = join(HERE, 'fixtures');
const GOLDEN = join(HERE, 'golden');

// The golden .ts files are part of `npm test`'s tsc run (tsconfig includes test/): they type-check against 'kestrun-ts'.
describe('kestrun-ts convert: each fixture converts to its golden .ts', () => {
  it('has a golden output for every fixture outside errors/', async () => {
    const inputs = (await readdir(FIXTURES)).filter((name) => name.endsWith('.ps1')).map((name) => name.replace(/\.ps1$/, ''));
    const outputs = (await readdir(GOLDEN)).filter((name) => name.endsWith('.ts')).map((name) => name.replace(/\.ts$/, ''));
    expect(outputs.sort()).to.deep.equal(inputs.sort());
    expect(inputs).to.include.members(['19.2-Sessions-Redis', '1.1-Hello-World', 'constructs']);
  });

  for (const name of ['19.2-Sessions-Redis', '1.1-Hello-World', 'constructs']) {
    it(`${name}.ps1`, async () => {
      const source = await readFile(join(FIXTURES, `${name}.ps1`), 'utf8');
      const expected = await readFile(join(GOLDEN, `${name}.ts`), 'utf8');
      expect(await convertPowerShell(source, `${name}.ps1`)).to.equal(expected);
    });
  }
});
