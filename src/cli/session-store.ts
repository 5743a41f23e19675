/**
 * Where the CLI keeps sessions, and the helpers `run --session`, `chat --resume` and `sessions` share.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { JsonlFileStore } from '../sessions/jsonl-file-store.js';

/** Environment variables that choose the sessions directory. */
export interface SessionsEnv {
  OPEN_AGENT_SESSIONS_DIR?: string | undefined;
  XDG_DATA_HOME?: string | undefined;
  HOME?: string | undefined;
}

/**
 * The sessions directory: `OPEN_AGENT_SESSIONS_DIR`, else `sessionsDir` from the config file, else
 * `$XDG_DATA_HOME/open-agent/sessions`, else `~/.local/share/open-agent/sessions` (the XDG Base Directory
 * default). Relative paths resolve against `cwd`.
 */
export function sessionsDirectory(env: SessionsEnv, configured?: string, cwd = process.cwd()): string {
  const nonEmpty = (v: string | undefined): string | undefined =>
    v === undefined || v === '' ? undefined : v;
  const explicit = nonEmpty(env.OPEN_AGENT_SESSIONS_DIR) ?? nonEmpty(configured);
  if (explicit !== undefined) return resolve(cwd, explicit);
  const data = nonEmpty(env.XDG_DATA_HOME) ?? join(nonEmpty(env.HOME) ?? homedir(), '.local', 'share');
  return join(resolve(cwd, data), 'open-agent', 'sessions');
}

/** The CLI's session store: one JSONL file per session (mode 0600) in a directory created with mode 0700. */
export function sessionStore(directory: string): JsonlFileStore {
  return new JsonlFileStore({ directory });
}

/** A session id with the time it was last written (the file's mtime, ms since the epoch). */
export interface SessionInfo {
  id: string;
  modifiedMs: number;
  sizeBytes: number;
}

/**
 * The store's sessions, most recently written first.
 * @throws SessionStoreError when the directory cannot be read (a missing directory is an empty list).
 */
export async function listSessions(store: JsonlFileStore): Promise<SessionInfo[]> {
  const ids = await store.list();
  const infos = await Promise.all(
    ids.map(async (id) => {
      try {
        const s = await stat(store.pathOf(id));
        return { id, modifiedMs: s.mtimeMs, sizeBytes: s.size };
      } catch {
        return undefined; // removed meanwhile
      }
    }),
  );
  return infos
    .filter((i): i is SessionInfo => i !== undefined)
    .sort((a, b) => b.modifiedMs - a.modifiedMs || a.id.localeCompare(b.id));
}

/** A new id for a chat session: `chat-YYYYMMDD-HHMMSS-xxxx` (UTC, plus 4 random hex digits). */
export function newChatSessionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `chat-${stamp}-${randomBytes(2).toString('hex')}`;
}
