import { expect } from 'chai';
import { convertPowerShell } from '../../src/convert/convert.ts';

/** The converted statements alone, without the import lines and the blank line after them. */
async function body(source: string): Promise<string> {
  const output = await convertPowerShell(source);
  return output.replace(/^import[\s\S]*?from '[^']+';\n\n/gm, '').trimEnd();
}

describe('kestrun-ts convert: constructs one at a time', () => {
  it('binds a unique prefix and an alias to the canonical parameter, and a switch given :$false', async () => {
    expect(await body("New-KrCookieBuilder -Na 'a' -HttpOnly:$false -SameS Lax")).to.equal(
      "newKrCookieBuilder({ name: 'a', httpOnly: false, sameSite: 'Lax' });",
    );
    expect(await body("Add-KrMapRoute -Method Get -Pattern '/x' { }")).to.equal("addKrMapRoute({ verbs: 'Get', path: '/x', scriptBlock: () => {} });");
  });

  it('imports only what the script calls, sorted, on one line when it fits', async () => {
    expect(await convertPowerShell('Enable-KrConfiguration\nStart-KrServer\n')).to.equal(
      "import { enableKrConfiguration, startKrServer } from 'kestrun-ts';\n\nenableKrConfiguration();\nawait startKrServer();\n",
    );
  });

  it('imports a cmdlet that a value is piped into, and drops | Out-Null', async () => {
    expect(await convertPowerShell("@{ a = 1 } | Write-KrJsonResponse -StatusCode 201\nNew-KrServer -Name 'x' -PassThru | Out-Null\n")).to.equal(
      "import { newKrServer, writeKrJsonResponse } from 'kestrun-ts';\n\nwriteKrJsonResponse({ statusCode: 201, inputObject: { a: 1 } });\nnewKrServer({ name: 'x', passThru: true });\n",
    );
  });

  it('converts a script with Windows line endings as the same script with \\n', async () => {
    const source = "<#\n  Header\n#>\n$text = @'\nline\n'@\nWrite-Host $text # said\n";
    expect(await convertPowerShell(source.replace(/\n/g, '\r\n'))).to.equal(await convertPowerShell(source));
  });

  it('converts an if used as a value inside a hashtable, and a missing else as $null', async () => {
    expect(await body("$x = 1\n$h = @{ a = if ($x -gt 0) { 'pos' } }\nWrite-Host $h.a")).to.equal(
      "const x = 1;\nconst h = { a: x > 0 ? 'pos' : null };\nconsole.log(h.a);",
    );
  });

  it('keeps one blank line for several, and a comment after a statement on its line', async () => {
    expect(await body("# one\n\n\n\nEnable-KrConfiguration   # two\n")).to.equal('// one\n\nenableKrConfiguration(); // two');
  });

  it('declares with let a variable assigned again, and converts += and several statements on one line', async () => {
    expect(await body('$n = 1; $n += 2; $n = $n * 3\nWrite-Host $n')).to.equal('let n = 1;\nn += 2;\nn = n * 3;\nconsole.log(n);');
  });

  it('converts PowerShell string escapes and doubled quotes', async () => {
    expect(await body('Write-Host "tab`there ""quoted"" `$notvar"')).to.equal('console.log(\'tab\\there "quoted" $notvar\');');
    expect(await body("Write-Host 'it''s'")).to.equal('console.log("it\'s");');
  });

  it('compares strings case-insensitively and tests $null either way round', async () => {
    expect(await body("$a = 'X'\n$b = $a -eq 'x'\n$c = $a -ne $null\nWrite-Host $b $c")).to.equal(
      "const a = 'X';\nconst b = a.toLowerCase() === 'x';\nconst c = a != null;\nconsole.log([b, c].join(' '));",
    );
  });

  it('ends the script with exit N, and rounds an [int] cast half to even as .NET does', async () => {
    expect(await body("$a = [int]2.5\n$b = [int]'3.5'\nWrite-Host $a $b\nexit 3")).to.equal(
      "const a = 2;\nconst b = 4;\nconsole.log([a, b].join(' '));\nprocess.exit(3);",
    );
  });

  it('passes $Context to a route that reads it', async () => {
    expect(await body('Add-KrMapRoute -Path /c -ScriptBlock { Write-Host $Context }')).to.equal(
      "addKrMapRoute({\n  path: '/c',\n  scriptBlock: (context) => {\n    console.log(context);\n  },\n});",
    );
  });
});
