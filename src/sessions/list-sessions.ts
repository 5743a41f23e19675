import { stat } from 'node:fs/promises';
import type { JsonlFileStore } from './jsonl-file-store.js';

/** A session id with the time it was last written (the file's mtime, ms since the epoch) and its size in bytes. */
export interface SessionInfo {
  id: string;
  modifiedMs: number;
  sizeBytes: number;
}

/**
 * The sessions of a {@link JsonlFileStore}, most recently written first (ties by id). Used by the CLI's
 * `sessions list` / `chat --resume` and by the dashboard.
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
