/**
 * Control characters are escaped before they reach a log line, so that text from a request (a path, a query, a
 * header) can neither start a forged line nor send a terminal escape sequence:
 * - `\n`, `\r` and `\t` become `\n`, `\r` and `\t` (a backslash and a letter);
 * - every other C0 character, DEL and the C1 characters (U+0080 to U+009F) become `\xhh`, e.g. ESC is `\x1b`;
 * - the Unicode line and paragraph separators become `\u2028` and `\u2029`.
 * Everything else, backslashes included, is written as it is, so lines without control characters do not change.
 */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = Object.freeze({ '\n': '\\n', '\r': '\\r', '\t': '\\t' });

function escapeCharacter(character: string): string {
  const named = NAMED_ESCAPES[character];
  if (named !== undefined) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
}

/** The text with its control characters escaped; the same string when it has none (the common case). */
export function escapeControlCharacters(text: string): string {
  return CONTROL_CHARACTER.test(text) ? text.replace(CONTROL_CHARACTERS, escapeCharacter) : text;
}

/** Escapes each line on its own, keeping the line breaks between them. */
function escapeLines(text: string): string {
  return text.split('\n').map(escapeControlCharacters).join('\n');
}

/**
 * An error's stack: its first line holds the error's name and message, which may carry request text (line breaks
 * included), and is escaped whole; the frames after it keep their line breaks, each frame line escaped.
 */
export function escapeStack(error: Error): string {
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  const messageAt = error.message === '' ? -1 : stack.indexOf(error.message);
  if (messageAt < 0) return escapeLines(stack);
  const headerEnd = messageAt + error.message.length;
  return escapeControlCharacters(stack.slice(0, headerEnd)) + escapeLines(stack.slice(headerEnd));
}
