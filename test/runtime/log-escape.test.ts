import { expect } from 'chai';
import { compileOutputTemplate, DEFAULT_OUTPUT_TEMPLATE } from '../../src/runtime/logging/console-format.ts';
import { escapeControlCharacters, escapeStack } from '../../src/runtime/logging/log-escape.ts';

function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

describe('escapeControlCharacters (log forging)', () => {
  it('writes line feed, carriage return and tab as \\n, \\r and \\t', () => {
    expect(escapeControlCharacters('a\nb')).to.equal('a\\nb');
    expect(escapeControlCharacters('a\r\nb')).to.equal('a\\r\\nb');
    expect(escapeControlCharacters('a\tb')).to.equal('a\\tb');
  });

  it('writes the other C0 characters as \\xhh: NUL, BEL, ESC, the last one', () => {
    expect(escapeControlCharacters('\u0000|\u0007|\u001b[31m|\u001f')).to.equal('\\x00|\\x07|\\x1b[31m|\\x1f');
  });

  it('writes DEL and the C1 characters as \\xhh: NEL, CSI, the first and last', () => {
    expect(escapeControlCharacters('\u007f|\u0080|\u0085|\u009b31m|\u009f')).to.equal('\\x7f|\\x80|\\x85|\\x9b31m|\\x9f');
  });

  it('writes the Unicode line and paragraph separators as \\u2028 and \\u2029', () => {
    expect(escapeControlCharacters('a\u2028b\u2029c')).to.equal('a\\u2028b\\u2029c');
  });

  it('escapes every control character, and nothing else, in the first 0x2030 code points', () => {
    for (let code = 0; code < 0x2030; code++) {
      const character = String.fromCharCode(code);
      const escaped = escapeControlCharacters(character);
      if (isControl(code)) expect(escaped, `U+${code.toString(16)}`).to.match(/^\\(?:[nrt]|x[0-9a-f]{2}|u202[89])$/);
      else expect(escaped, `U+${code.toString(16)}`).to.equal(character);
    }
  });

  it('leaves text without control characters as it is: backslashes, quotes, non-ASCII, emoji', () => {
    const text = 'C:\\logs "quoted" naïve \u00a0µs ☃ 😀 日本語 ~';
    expect(escapeControlCharacters(text)).to.equal(text);
  });
});

describe('escapeStack (exceptions in log lines)', () => {
  it('escapes the line breaks of the message line, and keeps the frames on their own lines', () => {
    const error = new Error('bad path /a\n[16:00:00 INF] forged');
    const lines = escapeStack(error).split('\n');
    expect(lines[0]).to.equal('Error: bad path /a\\n[16:00:00 INF] forged');
    expect(lines.length).to.be.greaterThan(1);
    for (const frame of lines.slice(1)) expect(frame).to.match(/^ {4}at /);
    expect(lines.length).to.equal((error.stack ?? '').split('\n').length - 1);
  });

  it('escapes control characters inside frame lines without joining them', () => {
    const error = new Error('m');
    error.stack = 'Error: m\n    at route (/srv/a\u001b[31m.ts:1:1)\n    at next (/srv/b\r.ts:2:2)';
    expect(escapeStack(error)).to.equal('Error: m\n    at route (/srv/a\\x1b[31m.ts:1:1)\n    at next (/srv/b\\r.ts:2:2)');
  });

  it('escapes each line when the stack no longer holds the message', () => {
    const error = new Error('original');
    error.stack = 'Error: original\u001b\n    at x (file.ts:1:1)';
    error.message = 'changed later';
    expect(escapeStack(error)).to.equal('Error: original\\x1b\n    at x (file.ts:1:1)');
  });

  it('renders an error with an empty message or no stack', () => {
    const empty = new Error('');
    expect(escapeStack(empty).split('\n')[0]).to.equal('Error');
    const stackless = new Error('no\nstack');
    stackless.stack = undefined;
    expect(escapeStack(stackless)).to.equal('Error: no\\nstack');
  });
});

describe('console lines escape what they print', () => {
  const render = compileOutputTemplate(DEFAULT_OUTPUT_TEMPLATE);
  const at = new Date(2026, 11, 4, 16, 0, 0).getTime();

  it('escapes the message, so that a line stays one line', () => {
    const line = render({ timestamp: at, level: 'Debug', message: 'HTTP GET /x\n[16:00:00 INF] forged\u001b[31m', error: undefined });
    expect(line).to.equal('[16:00:00 DBG] HTTP GET /x\\n[16:00:00 INF] forged\\x1b[31m\n');
  });

  it('escapes an exception: the message line of an Error, and a thrown value that is not one', () => {
    const error = new Error('failed on /x\r\n[16:00:00 INF] forged');
    const lines = render({ timestamp: at, level: 'Error', message: 'route failed', error }).split('\n');
    expect(lines.slice(0, 2)).to.deep.equal(['[16:00:00 ERR] route failed', 'Error: failed on /x\\r\\n[16:00:00 INF] forged']);
    expect(lines[2]).to.match(/^ {4}at /);
    expect(render({ timestamp: at, level: 'Error', message: 'm', error: 'reason\nforged' })).to.equal('[16:00:00 ERR] m\nreason\\nforged\n');
  });
});
