import { isIP } from 'node:net';
import { KrCmdletError } from '../binding/cmdlet-error.ts';

type ParameterType = 'int' | 'string' | 'ipAddress' | 'switch';

interface ScriptParameter<T extends ParameterType = ParameterType> {
  readonly type: T;
  /** The environment variable it also reads; by default the name in SCREAMING_SNAKE_CASE (`ipAddress` → IP_ADDRESS). */
  readonly env?: string;
  readonly default?: ValueOf<T>;
}

type ValueOf<T extends ParameterType> = T extends 'int' ? number : T extends 'switch' ? boolean : string;

type ScriptParameterValues<S extends Record<string, ScriptParameter>> = {
  [K in keyof S]: S[K] extends { default: unknown } ? ValueOf<S[K]['type']> : ValueOf<S[K]['type']> | undefined;
};

const kebab = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
const screamingSnake = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();

function convert(name: string, type: ParameterType, text: string): number | string | boolean {
  switch (type) {
    case 'int': {
      if (!/^[+-]?\d+$/.test(text.trim())) throw new Error(`Cannot convert value "${text}" for parameter '${name}' to type "System.Int32".`);
      return Number(text.trim());
    }
    case 'ipAddress':
      if (isIP(text) === 0) throw new Error(`Cannot convert value "${text}" for parameter '${name}' to type "System.Net.IPAddress".`);
      return text;
    case 'switch':
      if (!/^(true|false|1|0)$/i.test(text)) throw new Error(`Switch '${name}' takes true or false, got "${text}".`);
      return /^(true|1)$/i.test(text);
    default:
      return text;
  }
}

/**
 * A script's param() block: each parameter comes from its command-line flag (`--ip-address 127.0.0.1`,
 * `--port=5123`, or PowerShell's `-Port 5123`), else from its environment variable, else its default.
 */
export function parseScriptParameters<const S extends Record<string, ScriptParameter>>(
  parameters: S,
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): ScriptParameterValues<S> {
  const byFlag = new Map(Object.keys(parameters).flatMap((name) => [[kebab(name), name], [name.toLowerCase(), name]] as const));
  const fromArgs = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    const match = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(argument);
    const name = match === null ? undefined : byFlag.get((match[1] as string).toLowerCase());
    if (match === null || name === undefined) {
      const known = Object.keys(parameters).map((parameter) => `--${kebab(parameter)}`).join(', ');
      throw new Error(`A parameter cannot be found that matches parameter name '${argument}'. Known parameters: ${known}.`);
    }
    const inline = match[2];
    if (inline !== undefined) fromArgs.set(name, inline);
    else if (parameters[name]?.type === 'switch' && (argv[index + 1] === undefined || argv[index + 1]?.startsWith('-'))) fromArgs.set(name, 'true');
    else {
      const value = argv[++index];
      if (value === undefined) throw new Error(`Missing an argument for parameter '${name}'.`);
      fromArgs.set(name, value);
    }
  }
  const values: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(parameters)) {
    const text = fromArgs.get(name) ?? env[parameter.env ?? screamingSnake(name)];
    values[name] = text === undefined || text === '' ? parameter.default : convert(name, parameter.type, text);
  }
  return values as ScriptParameterValues<S>;
}

/**
 * What a tutorial script calls first: its parameters, and PowerShell's way with a failing cmdlet, which is
 * one line naming the cmdlet and the parameter (and exit code 1) rather than a stack trace.
 */
export function scriptParameters<const S extends Record<string, ScriptParameter>>(parameters: S): ScriptParameterValues<S> {
  const reportAndExit = (error: unknown): void => {
    if (error instanceof KrCmdletError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  };
  process.on('uncaughtException', reportAndExit);
  process.on('unhandledRejection', reportAndExit);
  try {
    return parseScriptParameters(parameters);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
