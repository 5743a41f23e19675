/**
 * Safe file names for session ids: no path separators, no `.`/`..`, no case-only collisions, bounded length.
 */
import { createHash } from 'node:crypto';

/** Extension of session log files. */
export const SESSION_FILE_EXTENSION = '.jsonl';
/** Longest encoded name kept readable; longer ids are named by their SHA-256. */
const MAX_READABLE = 200;
const HASHED_PREFIX = '~';

/**
 * The file name (with `.jsonl`) for a session id. Lower-case ASCII letters, digits, `_` and `-` are kept;
 * every other UTF-8 byte (upper-case letters included, so case-insensitive file systems never merge two
 * sessions) becomes `%XX`. Names longer than 200 characters become `~` + the id's SHA-256 in hex.
 */
export function sessionFileName(sessionId: string): string {
  let encoded = '';
  for (const byte of new TextEncoder().encode(sessionId)) {
    const isKept =
      (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x5f || byte === 0x2d;
    encoded += isKept ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (encoded.length > MAX_READABLE) {
    encoded = HASHED_PREFIX + createHash('sha256').update(sessionId, 'utf8').digest('hex');
  }
  return encoded + SESSION_FILE_EXTENSION;
}

/**
 * The session id a file name stands for, or `undefined` when it is a hashed name (read the file's header
 * instead) or not a session file.
 */
export function sessionIdFromFileName(fileName: string): string | undefined {
  if (!fileName.endsWith(SESSION_FILE_EXTENSION) || fileName.startsWith(HASHED_PREFIX)) return undefined;
  try {
    return decodeURIComponent(fileName.slice(0, -SESSION_FILE_EXTENSION.length));
  } catch {
    return undefined;
  }
}
