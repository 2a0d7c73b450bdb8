import { expect } from 'chai';
import { compileOutputTemplate, DEFAULT_OUTPUT_TEMPLATE } from '../../src/runtime/logging/console-format.ts';
import type { LogEvent } from '../../src/runtime/logging/console-format.ts';

function event(timestamp: number, level: LogEvent['level'], message: string, error?: unknown): LogEvent {
  return { timestamp, level, message, error };
}

function clock(timestamp: number, withMilliseconds = false): string {
  const date = new Date(timestamp);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return withMilliseconds ? `${time}.${pad(date.getMilliseconds(), 3)}` : time;
}

describe('compileOutputTemplate (console sink lines)', () => {
  const start = new Date(2026, 11, 4, 15, 59, 58, 400).getTime();

  it("renders Serilog's default template, following the clock from second to second and the level from line to line", () => {
    const render = compileOutputTemplate(DEFAULT_OUTPUT_TEMPLATE);
    const events = [
      event(start, 'Debug', 'first'),
      event(start + 500, 'Debug', 'same second'),
      event(start + 599, 'Information', 'other level'),
      event(start + 600, 'Debug', 'next second'),
      event(start + 2_100, 'Debug', 'next hour'),
    ];
    expect(events.map(render)).to.deep.equal([
      `[${clock(start)} DBG] first\n`,
      `[${clock(start)} DBG] same second\n`,
      `[${clock(start)} INF] other level\n`,
      `[${clock(start + 600)} DBG] next second\n`,
      `[${clock(start + 2_100)} DBG] next hour\n`,
    ]);
    expect(clock(start + 2_100)).to.equal('16:00:00');
  });

  it('renders milliseconds for every event when the format asks for them', () => {
    const render = compileOutputTemplate('{Timestamp:HH:mm:ss.fff} {Message}');
    expect([start, start + 1, start + 250].map((at) => render(event(at, 'Debug', 'm')))).to.deep.equal(
      [start, start + 1, start + 250].map((at) => `${clock(at, true)} m`),
    );
  });

  it('renders an ISO timestamp when the token has no format', () => {
    expect(compileOutputTemplate('{Timestamp}|{Message}')(event(start, 'Warning', 'w'))).to.equal(`${new Date(start).toISOString()}|w`);
  });

  it('adds the exception after the message only when there is one, and renders unknown properties empty', () => {
    const render = compileOutputTemplate(DEFAULT_OUTPUT_TEMPLATE);
    const failure = new Error('disk on fire');
    expect(render(event(start, 'Error', 'failed', failure))).to.equal(`[${clock(start)} ERR] failed\n${failure.stack}\n`);
    expect(render(event(start, 'Error', 'failed', 'a reason'))).to.equal(`[${clock(start)} ERR] failed\na reason\n`);
    expect(compileOutputTemplate('{ErrorRecord}<{Enricher}>{Message}')(event(start, 'Debug', 'm'))).to.equal('<>m');
  });

  it('keeps literal text around and between tokens, and renders a template without tokens as it is', () => {
    expect(compileOutputTemplate('a {Level:u3} b {Level:w3} c')(event(start, 'Fatal', 'm'))).to.equal('a FTL b ftl c');
    expect(compileOutputTemplate('plain')(event(start, 'Debug', 'm'))).to.equal('plain');
  });
});
