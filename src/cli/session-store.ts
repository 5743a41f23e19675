/**
 * Where the CLI keeps sessions, and the helpers `run --session`, `chat --resume` and `sessions` share.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
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

export { listSessions, type SessionInfo } from '../sessions/list-sessions.js';

/** A new id for a chat session: `chat-YYYYMMDD-HHMMSS-xxxx` (UTC, plus 4 random hex digits). */
export function newChatSessionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `chat-${stamp}-${randomBytes(2).toString('hex')}`;
}
