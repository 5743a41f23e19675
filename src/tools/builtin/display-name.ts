/** C0 controls, DEL, C1 controls and the Unicode line/paragraph separators: anything that can break a line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * A file name or relative path as tools show it: as is when it is plain text, else as a JSON string
 * (quoted, with `\n`, `\u0000`, ... escapes), so a newline in a name can never start a new output line
 * and a model cannot be fooled into reading one name as two.
 */
export function displayName(name: string): string {
  return CONTROL.test(name) ? displayPath(name) : name;
}

/** A path quoted as a JSON string, every control character escaped (also DEL, C1, U+2028/9), for messages. */
export function displayPath(path: string): string {
  // JSON.stringify escapes only U+0000-U+001F; the rest of CONTROL is escaped here.
  return JSON.stringify(path).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Line text as tools show it: NUL bytes become the two characters `\0`, so no tool output ever carries a
 * raw NUL (which many terminals, JSON consumers and model servers mishandle).
 */
export function escapeNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\\0') : text;
}
