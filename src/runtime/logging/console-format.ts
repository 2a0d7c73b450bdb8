import { escapeControlCharacters, escapeStack } from './log-escape.ts';
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

/**
 * One token of a template, by what its text depends on: nothing, only the event's second and level (so that it can be
 * rendered once for many lines), or the event itself.
 */
type TemplatePart =
  | { readonly kind: 'constant'; readonly text: string }
  | { readonly kind: 'secondAndLevel'; readonly render: Renderer }
  | { readonly kind: 'event'; readonly render: Renderer };

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function timestampPart(format: string | undefined): TemplatePart {
  if (format === undefined) return { kind: 'event', render: (event) => new Date(event.timestamp).toISOString() };
  const render: Renderer = (event) => {
    const date = new Date(event.timestamp);
    return format
      .replace('HH', pad2(date.getHours()))
      .replace('mm', pad2(date.getMinutes()))
      .replace('ss', pad2(date.getSeconds()))
      .replace('fff', String(date.getMilliseconds()).padStart(3, '0'));
  };
  return { kind: format.includes('f') ? 'event' : 'secondAndLevel', render };
}

/** The exception on the lines after the message, its control characters escaped (see log-escape.ts). */
function renderException(event: LogEvent): string {
  const { error } = event;
  if (error === undefined || error === null) return '';
  if (error instanceof Error) return `${escapeStack(error)}\n`;
  return `${escapeControlCharacters(String(error))}\n`;
}

function tokenPart(name: string, format: string | undefined): TemplatePart {
  switch (name) {
    case 'Timestamp':
      return timestampPart(format);
    case 'Level':
      if (format === 'u3') return { kind: 'secondAndLevel', render: (event) => LEVEL_CODES[event.level] };
      if (format === 'w3') return { kind: 'secondAndLevel', render: (event) => LEVEL_CODES[event.level].toLowerCase() };
      return { kind: 'secondAndLevel', render: (event) => event.level };
    case 'Message':
      return { kind: 'event', render: (event) => escapeControlCharacters(event.message) };
    case 'NewLine':
      return { kind: 'constant', text: '\n' };
    case 'Exception':
      return { kind: 'event', render: renderException };
    default:
      // Properties that only exist in Serilog's event model ({ErrorRecord}, enrichers) render empty, as unset ones do there.
      return { kind: 'constant', text: '' };
  }
}

function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const pattern = /\{(\w+)(?::([^}]+))?\}/g;
  let last = 0;
  for (let match = pattern.exec(template); match !== null; match = pattern.exec(template)) {
    parts.push({ kind: 'constant', text: template.slice(last, match.index) });
    parts.push(tokenPart(match[1] as string, match[2]));
    last = match.index + match[0].length;
  }
  parts.push({ kind: 'constant', text: template.slice(last) });
  return parts;
}

/**
 * A run of parts that change at most once a second, rendered again only when the second or the level changes: under
 * load a server logs many lines a second, and the default template's `[HH:mm:ss DBG] ` is then one string.
 */
function renderRun(run: readonly TemplatePart[]): Renderer {
  if (run.every((part) => part.kind === 'constant')) {
    const constant = run.map((part) => part.text).join('');
    return () => constant;
  }
  const texts = run.map((part) => (part.kind === 'constant' ? () => part.text : part.render));
  let second = Number.NaN;
  let level: LogLevel | undefined;
  let text = '';
  return (event) => {
    const current = Math.floor(event.timestamp / 1000);
    if (current !== second || event.level !== level) {
      second = current;
      level = event.level;
      text = texts.map((render) => render(event)).join('');
    }
    return text;
  };
}

/** Compiles a Serilog output template once, so that rendering an event is a few string concatenations. */
export function compileOutputTemplate(template: string): Renderer {
  const renderers: Renderer[] = [];
  let run: TemplatePart[] = [];
  const endRun = (): void => {
    if (run.some((part) => part.kind !== 'constant' || part.text !== '')) renderers.push(renderRun(run));
    run = [];
  };
  for (const part of parseTemplate(template)) {
    if (part.kind === 'event') {
      endRun();
      renderers.push(part.render);
    } else run.push(part);
  }
  endRun();
  return (event) => {
    let text = '';
    for (const render of renderers) text += render(event);
    return text;
  };
}
