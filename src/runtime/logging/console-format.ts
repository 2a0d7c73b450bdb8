import { LEVEL_CODES } from './log-level.ts';
import type { LogLevel } from './log-level.ts';

export interface LogEvent {
  /** Milliseconds since the epoch: a Date is only made when a timestamp is rendered. */
  readonly timestamp: number;
  readonly level: LogLevel;
  readonly message: string;
  readonly error: unknown;
}

export const DEFAULT_OUTPUT_TEMPLATE = '[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{ErrorRecord}{Exception}';

type Renderer = (event: LogEvent) => string;

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function renderTimestamp(format: string | undefined): Renderer {
  if (format === undefined) return (event) => new Date(event.timestamp).toISOString();
  const render = (date: Date): string =>
    format
      .replace('HH', pad2(date.getHours()))
      .replace('mm', pad2(date.getMinutes()))
      .replace('ss', pad2(date.getSeconds()))
      .replace('fff', String(date.getMilliseconds()).padStart(3, '0'));
  if (format.includes('f')) return (event) => render(new Date(event.timestamp));
  // Under load a server logs many lines a second; a format without fractions renders once per second.
  let second = Number.NaN;
  let text = '';
  return (event) => {
    const current = Math.floor(event.timestamp / 1000);
    if (current !== second) {
      second = current;
      text = render(new Date(event.timestamp));
    }
    return text;
  };
}

function renderException(event: LogEvent): string {
  const { error } = event;
  if (error === undefined || error === null) return '';
  if (error instanceof Error) return `${error.stack ?? `${error.name}: ${error.message}`}\n`;
  return `${String(error)}\n`;
}

function tokenRenderer(name: string, format: string | undefined): Renderer {
  switch (name) {
    case 'Timestamp':
      return renderTimestamp(format);
    case 'Level':
      if (format === 'u3') return (event) => LEVEL_CODES[event.level];
      if (format === 'w3') return (event) => LEVEL_CODES[event.level].toLowerCase();
      return (event) => event.level;
    case 'Message':
      return (event) => event.message;
    case 'NewLine':
      return () => '\n';
    case 'Exception':
      return renderException;
    default:
      // Properties that only exist in Serilog's event model ({ErrorRecord}, enrichers) render empty, as unset ones do there.
      return () => '';
  }
}

/** Compiles a Serilog output template once, so that rendering an event is a string concatenation. */
export function compileOutputTemplate(template: string): Renderer {
  const parts: Renderer[] = [];
  const pattern = /\{(\w+)(?::([^}]+))?\}/g;
  let last = 0;
  for (let match = pattern.exec(template); match !== null; match = pattern.exec(template)) {
    const literal = template.slice(last, match.index);
    if (literal) parts.push(() => literal);
    parts.push(tokenRenderer(match[1] as string, match[2]));
    last = match.index + match[0].length;
  }
  const tail = template.slice(last);
  if (tail) parts.push(() => tail);
  return (event) => {
    let text = '';
    for (const part of parts) text += part(event);
    return text;
  };
}
