const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A tool call id for servers that send none: `call_` and 24 random alphanumerics, which every API
 * accepts (`^[a-zA-Z0-9_-]{1,64}$`).
 */
export function generateToolCallId(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  let id = 'call_';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
