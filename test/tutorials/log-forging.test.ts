import { expect } from 'chai';
import { fetchHttp2, fetchUrl } from '../support/https-client.ts';
import type { HttpResult } from '../support/https-client.ts';
import { startScript } from '../support/script-process.ts';
import type { ScriptProcess } from '../support/script-process.ts';

interface ForgingCase {
  readonly name: string;
  /** What the client puts in the path, percent-encoded. */
  readonly encoded: string;
  /** What the log line must show instead. */
  readonly escaped: string;
}

const CASES: readonly ForgingCase[] = [
  { name: 'a line feed', encoded: '%0a[16:00:00%20INF]%20x', escaped: '\\n[16:00:00 INF] x' },
  { name: 'a carriage return and line feed', encoded: '%0d%0a[16:00:00%20INF]%20x', escaped: '\\r\\n[16:00:00 INF] x' },
  { name: 'a terminal escape sequence', encoded: '%1b[31mred%1b[0m', escaped: '\\x1b[31mred\\x1b[0m' },
  { name: 'the Unicode line separator', encoded: '%e2%80%a8[16:00:00%20INF]%20x', escaped: '\\u2028[16:00:00 INF] x' },
  { name: 'C1 controls (NEL and CSI)', encoded: '%c2%85[16:00:00%20INF]%20x%c2%9b31m', escaped: '\\x85[16:00:00 INF] x\\x9b31m' },
];

/** Control characters that must never reach the log raw (the line breaks between lines aside). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

type Fetch = (url: string) => Promise<HttpResult>;

const PROTOCOLS: readonly { readonly label: string; readonly tag: string; readonly fetch: Fetch }[] = [
  { label: 'HTTP/1.1', tag: 'h1', fetch: (url) => fetchUrl(url) },
  { label: 'HTTP/2', tag: 'h2', fetch: (url) => fetchHttp2(url) },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Log forging (issue 22): a request path with encoded control characters is logged on its one Debug line, with
 * the characters escaped, over both protocols of the tutorial's endpoint.
 */
describe('log forging: request paths with control characters (scripts/19.1-sessions.ts)', function () {
  this.timeout(60_000);
  let server: ScriptProcess;

  before(async () => {
    server = await startScript('19.1-sessions.ts');
  });

  after(async () => {
    expect(await server?.stop()).to.equal(0);
  });

  for (const protocol of PROTOCOLS) {
    describe(`over ${protocol.label}`, () => {
      CASES.forEach((forging, index) => {
        it(`writes one escaped line for a path with ${forging.name}`, async () => {
          // A tag after the forged text tells this request's line from the others'.
          const tag = `-${protocol.tag}-${index}`;
          const response = await protocol.fetch(`${server.url}/session/counter${forging.encoded}${tag}`);
          expect(response.status).to.equal(404);
          const expected = `HTTP GET /session/counter${forging.escaped}${tag} responded 404 in `;
          await server.waitForOutput(new RegExp(`${escapeRegExp(expected)}\\d+\\.\\d{3} ms\\n`));
          const lines = server.output().split('\n');
          const requestLines = lines.filter((line) => line.includes(tag));
          expect(requestLines, server.output()).to.have.length(1);
          expect(requestLines[0]).to.match(new RegExp(`^\\[\\d{2}:\\d{2}:\\d{2} DBG\\] ${escapeRegExp(expected)}\\d+\\.\\d{3} ms$`));
          expect(lines.filter((line) => line.startsWith('[16:00:00 INF]')), 'a forged line').to.deep.equal([]);
        });
      });
    });
  }

  // Mocha runs a suite's own tests before its nested suites': this one reads the output of all the requests above.
  describe('after every request', () => {
    it('never wrote a raw control character, ESC included', () => {
      const output = server.output();
      expect(output).to.include('/session/counter\\x1b[31mred\\x1b[0m-h2-2 responded 404');
      expect(output.includes('\u001b'), 'an ESC byte in the output').to.equal(false);
      expect(RAW_CONTROL.exec(output)?.[0], 'a raw control character').to.equal(undefined);
    });
  });
});
