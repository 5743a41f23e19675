const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The Web Crypto object, read once: on Node 20 `globalThis.crypto` is a lazy getter that runs on every
 * access until something assigns it.
 */
let webCrypto: Crypto | undefined;
function cryptoObject(): Crypto {
  webCrypto ??= globalThis.crypto;
  return webCrypto;
}

/**
 * A random (version 4) UUID, RFC 9562 §5.4: the runtime's `crypto.randomUUID()` (Node buffers its entropy),
 * through the Web Crypto object read once.
 */
export function randomUuid(): string {
  return cryptoObject().randomUUID();
}

/**
 * A tool call id for servers that send none: `call_` and 24 random alphanumerics, which every API
 * accepts (`^[a-zA-Z0-9_-]{1,64}$`).
 */
export function generateToolCallId(): string {
  const bytes = new Uint8Array(24);
  cryptoObject().getRandomValues(bytes);
  let id = 'call_';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
