/** Longest signature kept, in characters. */
const MAX_SIGNATURE = 160;

/**
 * The error signature of a message: the message with its variable parts replaced, so the same error with
 * different ids, numbers, addresses or quoted values counts as one. `<uuid>`, `<hex>`, `<ip>`, `<n>`,
 * `<str>`.
 */
export function signatureOf(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<ip>')
    .replace(/\b0x[0-9a-f]+\b|\b[0-9a-f]{12,}\b/gi, '<hex>')
    .replace(/"[^"]*"|'[^']*'/g, '<str>')
    .replace(/\d+(?:\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_SIGNATURE);
}
