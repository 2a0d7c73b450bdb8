import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { convertPowerShell } from '../../src/convert/convert.ts';
import { ConversionError } from '../../src/convert/diagnostics.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/errors/', import.meta.url));

async function refusals(source: string, file = 'x.ps1'): Promise<string[]> {
  const failure = await convertPowerShell(source, file).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).to.be.instanceOf(ConversionError);
  return (failure as ConversionError).diagnostics.map((d) => `${d.line}:${d.column} ${d.reason}`);
}

const NOT_RECOGNIZED = 'is not recognized as a name of a cmdlet, function, script file, or executable program.';

describe('kestrun-ts convert: refusals', () => {
  it('lists every unsupported construct of a file at once, with line, column and PowerShell wording', async () => {
    const list = await refusals(await readFile(`${FIXTURES}unsupported.ps1`, 'utf8'));
    expect(list.map((entry) => entry.replace(/ kestrun-ts convert knows .*$/, ''))).to.deep.equal([
      '3:6 The parameter attribute ValidateSet is not supported by kestrun-ts convert (supported: [int], [string], [IPAddress], [switch]).',
      "6:28 A parameter cannot be found that matches parameter name 'Bogus'.",
      `7:1 The term 'Foo-Bar' ${NOT_RECOGNIZED}`,
      "8:38 A parameter cannot be found that matches parameter name 'Prot'.",
      "9:5 The statement 'foreach statement' is not supported by kestrun-ts convert.",
      "10:33 The automatic variable '$_' is not supported by kestrun-ts convert.",
      "12:28 A positional parameter cannot be found that accepts argument ''two''.",
      "13:15 Missing an argument for parameter 'Cookie'. Specify a parameter of the required type and try again.",
      '14:1 Cannot process command because of one or more missing mandatory parameters: Name.',
      `15:1 The term 'Get-Date' ${NOT_RECOGNIZED}`,
      "16:6 The variable '$y' cannot be retrieved because it has not been set.",
      "17:1 The statement 'try statement' is not supported by kestrun-ts convert.",
      "18:1 Invoking '& ./other.ps1' (a path, & or dot-sourcing) is not supported by kestrun-ts convert.",
      "19:13 The operator '-like' is not supported by kestrun-ts convert (supported: -eq -ne -lt -le -gt -ge -and -or -not).",
      '20:53 return with a value is not supported by kestrun-ts convert: a route answers with a Write-Kr*Response cmdlet.',
      '21:12 $Context exists only inside a route script block.',
    ]);
  });

  it('formats each refusal as file:line:column: why, then the source text', async () => {
    const failure = (await convertPowerShell("New-KrServer -Name 'x'\nNew-KrServer -Name 'y' -Prot 1\n", 'app.ps1').catch((e: unknown) => e)) as Error;
    expect(failure.message).to.equal(
      "app.ps1:2:24: A parameter cannot be found that matches parameter name 'Prot'.\n    -Prot\napp.ps1: 1 construct cannot be converted; no TypeScript was written.\n",
    );
  });

  it('reports a syntax error and converts nothing', async () => {
    const list = await refusals(await readFile(`${FIXTURES}syntax.ps1`, 'utf8'));
    expect(list).to.have.length(1);
    expect(list[0]).to.match(/^2:1 Syntax error: PowerShell cannot parse 'Add-KrMapRoute/);
  });

  it('refuses an ambiguous parameter prefix, naming the candidates', async () => {
    expect(await refusals('New-KrCookieBuilder -S Lax')).to.deep.equal([
      "1:21 Parameter cannot be processed because the parameter name 'S' is ambiguous. Possible matches include: -SecurePolicy -SameSite.",
    ]);
  });

  it('refuses a pipe into a cmdlet that takes no pipeline input', async () => {
    expect(await refusals("'x' | New-KrServer -Name 'a'")).to.deep.equal([
      '1:7 The input object cannot be bound to any parameters of New-KrServer: it takes no pipeline input.',
    ]);
  });

  it('refuses a variable first set inside an if block, which TypeScript would scope to the block', async () => {
    expect(await refusals("if ($true) { $a = 1 }\nWrite-Host $a")).to.deep.equal([
      "1:14 '$a' is first set inside a block; kestrun-ts convert needs it set before the block (or the if used as an expression).",
    ]);
  });

  it('refuses a value written to the output, which a converted script would drop', async () => {
    expect(await refusals("$a = 1\n$a")).to.deep.equal([
      '2:1 A value on its own is written to the output; kestrun-ts convert does not support that: assign it, pass it to a cmdlet or pipe it to Out-Null.',
    ]);
  });
});
