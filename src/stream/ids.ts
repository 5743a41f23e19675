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

/** Random bytes for {@link randomUuid}, filled 64 UUIDs at a time (one `getRandomValues` call). */
const POOL_BYTES = 16 * 64;
let pool: Uint8Array | undefined;
let poolOffset = POOL_BYTES;
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A random (version 4) UUID, as `crypto.randomUUID()` returns (RFC 9562 §5.4), from a pool of random
 * bytes refilled with `crypto.getRandomValues` every 64 ids: run ids are made once per run, and Web
 * Crypto's `randomUUID` costs a native call each.
 */
export function randomUuid(): string {
  if (pool === undefined || poolOffset + 16 > POOL_BYTES) {
    pool ??= new Uint8Array(POOL_BYTES);
    cryptoObject().getRandomValues(pool);
    poolOffset = 0;
  }
  const b = pool;
  const o = poolOffset;
  poolOffset += 16;
  const h = (i: number): string => HEX[b[o + i] as number] as string;
  const version = HEX[((b[o + 6] as number) & 0x0f) | 0x40] as string;
  const variant = HEX[((b[o + 8] as number) & 0x3f) | 0x80] as string;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${version}${h(7)}-${variant}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
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
