#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { convertPowerShell } from '../convert/convert.ts';
import { ConversionError } from '../convert/diagnostics.ts';
import { runConvertedScript, runScriptFile } from './run-script.ts';

/** Exit codes: 0 done, 2 a conversion error or a usage error. */
export const EXIT_OK = 0;
export const EXIT_CONVERSION = 2;

const USAGE = `Usage: kestrun-ts <command> [options]

Commands:
  convert <file.ps1> [-o <file.ts>]     Convert a Kestrun PowerShell script to a kestrun-ts TypeScript script.
  run <file.ps1|file.ts> [flags...]     Run a script; a .ps1 is converted in memory first.

Run 'kestrun-ts <command> --help' for a command's options.
`;

const CONVERT_USAGE = `Usage: kestrun-ts convert <file.ps1> [-o <file.ts>]

Converts a Kestrun .ps1 script to TypeScript that imports its cmdlets from 'kestrun-ts'.
The TypeScript goes to standard output, or to the file given with -o/--output.

Anything the converter does not support is an error listing file:line:column, the source text and why;
every such construct of the file is listed, nothing is written, and the exit code is 2.
`;

const RUN_USAGE = `Usage: kestrun-ts run <file.ps1|file.ts> [script flags...]

Runs a script. A .ps1 is converted in memory first (conversion errors exit with code 2); a .ts runs through
tsx. The flags after the file go to the script's parameters, e.g.
  kestrun-ts run 19.2-Sessions-Redis.ps1 --port 5123 --upstash-url redis://127.0.0.1:6379
'kestrun-ts' imports resolve to the package this command belongs to, so a script runs from any folder.
`;

export interface Output {
  write(text: string): void;
}

interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
}

const processIo: Io = {
  stdout: { write: (text) => void process.stdout.write(text) },
  stderr: { write: (text) => void process.stderr.write(text) },
};

const wantsHelp = (args: readonly string[]): boolean => args.includes('--help') || args.includes('-h');

async function convertFile(file: string, io: Io): Promise<string | undefined> {
  try {
    return await convertPowerShell(await readFile(file, 'utf8'), file);
  } catch (error) {
    if (error instanceof ConversionError) io.stderr.write(error.message);
    else if ((error as NodeJS.ErrnoException).code === 'ENOENT') io.stderr.write(`kestrun-ts: cannot read '${file}': no such file.\n`);
    else throw error;
    return undefined;
  }
}

async function convertCommand(args: readonly string[], io: Io): Promise<number> {
  if (wantsHelp(args)) return io.stdout.write(CONVERT_USAGE), EXIT_OK;
  const files: string[] = [];
  let output: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const argument = args[index] as string;
    if (argument === '-o' || argument === '--output') output = args[++index];
    else if (argument.startsWith('--output=')) output = argument.slice('--output='.length);
    else files.push(argument);
  }
  const [file] = files;
  if (files.length !== 1 || file === undefined || (output !== undefined && output === '') || args.at(-1) === '-o') {
    return io.stderr.write(CONVERT_USAGE), EXIT_CONVERSION;
  }
  const typescript = await convertFile(file, io);
  if (typescript === undefined) return EXIT_CONVERSION;
  if (output === undefined) io.stdout.write(typescript);
  else await writeFile(output, typescript);
  return EXIT_OK;
}

async function runCommand(args: readonly string[], io: Io): Promise<number> {
  const [file, ...scriptArgs] = args;
  if (file === undefined || file === '--help' || file === '-h') {
    io[file === undefined ? 'stderr' : 'stdout'].write(RUN_USAGE);
    return file === undefined ? EXIT_CONVERSION : EXIT_OK;
  }
  if (extname(file).toLowerCase() !== '.ps1') {
    await runScriptFile(file, scriptArgs);
    return EXIT_OK;
  }
  const typescript = await convertFile(file, io);
  if (typescript === undefined) return EXIT_CONVERSION;
  await runConvertedScript(typescript, file, scriptArgs);
  return EXIT_OK;
}

/** The command line: resolves with the exit code (a running server keeps the process alive after it). */
export async function main(args: readonly string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'convert':
      return convertCommand(rest, io);
    case 'run':
      return runCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io[command === undefined ? 'stderr' : 'stdout'].write(USAGE);
      return command === undefined ? EXIT_CONVERSION : EXIT_OK;
    default:
      io.stderr.write(`kestrun-ts: unknown command '${command}'.\n\n${USAGE}`);
      return EXIT_CONVERSION;
  }
}

// npm links bin scripts, and Node runs the link's target: compare real paths.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const code = await main(process.argv.slice(2));
  // A script that ran sets its own exit code; only a failure of this command's own overrides it.
  if (code !== EXIT_OK) process.exitCode = code;
}
