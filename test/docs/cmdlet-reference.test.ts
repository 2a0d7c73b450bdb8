import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { exportedCmdlets, REFERENCE_DIRECTORY, renderCmdletReference } from '../../tools/cmdlet-reference.ts';
import { renderCmdletPage } from '../../tools/cmdlet-reference/render.ts';

describe('docs/cmdlets (the generated cmdlet reference)', () => {
  const pages = renderCmdletReference();

  it('has one page per exported cmdlet and the index, and nothing else', async () => {
    const names = exportedCmdlets().map((entry) => `${entry.declaration.name}.md`);
    expect(names).to.include.members(['Add-KrSession.md', 'Add-KrEndpoint.md', 'Get-KrSessionInt32.md', 'Start-KrServer.md']);
    expect([...pages.keys()].sort()).to.deep.equal([...names, 'README.md'].sort());
    expect((await readdir(REFERENCE_DIRECTORY)).sort(), 'run `npm run docs:cmdlets`').to.deep.equal([...pages.keys()].sort());
  });

  it('matches the code on every page (run `npm run docs:cmdlets` after changing a cmdlet)', async () => {
    for (const [name, expected] of pages) {
      const written = await readFile(join(REFERENCE_DIRECTORY, name), 'utf8');
      expect(written, `docs/cmdlets/${name} is out of date: run \`npm run docs:cmdlets\``).to.equal(expected);
    }
  });

  it('lists every declared parameter with its PowerShell name, and an example on every page', () => {
    for (const entry of exportedCmdlets()) {
      const page = pages.get(`${entry.declaration.name}.md`) ?? '';
      for (const key of Object.keys(entry.declaration.parameters)) expect(page, entry.declaration.name).to.include(`| \`${key}\` |`);
      expect(page, `${entry.declaration.name} needs a use in scripts/ or an @example in its JSDoc`).to.include('## Example');
    }
  });

  it('renders ranges, enum values, aliases and parameter sets from the declarations', () => {
    const endpoint = pages.get('Add-KrEndpoint.md') ?? '';
    expect(endpoint).to.match(/\| `port` \| `-Port` \| `System\.Int32` \|[^\n]*0 to 65535/);
    expect(endpoint).to.include('Parameter sets: NoCert (default), CertFile, SelfSignedCert.');
    const route = pages.get('Add-KrMapRoute.md') ?? '';
    expect(route).to.match(/\| `verbs` \|[^\n]*`Get`, `Head`, `Post`[^\n]*\| `method` \|/);
    expect(route).to.match(/\| `scriptBlock` \|[^\n]*\| yes \|/);
  });

  it('renders positions and pipeline input, a declared field it does not know as a column, and descriptions when there are any', () => {
    const entry = exportedCmdlets().find((candidate) => candidate.declaration.name === 'Set-KrSessionString');
    const declared = entry?.declaration.parameters.key;
    if (entry === undefined || declared === undefined) throw new Error('Set-KrSessionString and its key are not exported');
    const key = { ...declared, since: '1.0', description: 'The session key.' };
    const parameters = { ...entry.declaration.parameters, key };
    const page = renderCmdletPage({ ...entry, declaration: { ...entry.declaration, parameters } });
    expect(page).to.include('| Parameter sets | since | Description |');
    expect(page).to.match(/\| `key` \|[^\n]*\| all \| 1\.0 \| The session key\. \|/);
    expect(pages.get('Set-KrSessionString.md')).to.not.include('since');
    expect(pages.get('Add-KrMapRoute.md')).to.match(/\| `scriptBlock` \| `-ScriptBlock` \| `[^`]+` \| 0 \| yes \|/);
    expect(pages.get('Write-KrJsonResponse.md')).to.match(/\| `inputObject` \|[^\n]*\| by value \|/);
  });
});
