/**
 * Chat sessions: every chat is saved to a session (`open-agent sessions list`), and `chat --resume [NAME]`
 * loads one (the most recent without NAME) so a conversation goes on in a new process. Also the context
 * use shown in the banner and the status line.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { messagesOf } from '../../agent/run-log.js';
import { estimateTokens } from '../../context/estimate.js';
import { contextWindowOf } from '../../context/window.js';
import type { AgentMessage, Message, SessionItem } from '../../index.js';
import type { JsonlFileStore } from '../../sessions/jsonl-file-store.js';
import { formatTokens } from '../format.js';
import { listSessions, newChatSessionId, sessionStore } from '../session-store.js';
import { UsageError } from '../usage-error.js';
import type { ChatAgent, ChatRunner } from './chat-runner.js';

/** The session a chat writes to. */
export interface ChatSessionFile {
  id: string;
  store: JsonlFileStore;
  /** The conversation loaded from the session (empty for a new one). */
  messages: AgentMessage[];
  /** The session's `lastSeq` when loaded. */
  lastSeq: number;
  /** False when the directory cannot be created: the chat goes on without saving. */
  saving: boolean;
  /** Why the chat is not saved, for a one-line warning. */
  warning?: string;
}

/**
 * Opens the chat's session: `resume` `true` takes the most recent session in `directory`, a string names
 * one, `undefined` starts a new `chat-…` session. The directory is created (mode 0700) at once; when that
 * fails, a new chat goes on unsaved (`saving: false`, `warning`).
 *
 * @throws {UsageError} when there is no session to resume, or the named one does not exist.
 * @throws SessionStoreError when a session file cannot be read (corrupt, newer format).
 */
export async function openChatSession(
  resume: string | true | undefined,
  directory: string,
): Promise<ChatSessionFile> {
  const store = sessionStore(directory);
  if (resume === undefined) {
    const id = newChatSessionId();
    try {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      return { id, store, messages: [], lastSeq: 0, saving: true };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      return {
        id,
        store,
        messages: [],
        lastSeq: 0,
        saving: false,
        warning: `cannot create ${directory} (${reason})`,
      };
    }
  }
  const id = resume === true ? (await listSessions(store))[0]?.id : resume;
  if (id === undefined) throw new UsageError(`no saved session to resume in ${directory}`);
  const loaded = await store.load(id);
  if (loaded.lastSeq === 0) throw new UsageError(`no session named ${JSON.stringify(id)} in ${directory}`);
  const messages = messagesOf(loaded.entries.map((e) => e.item));
  return { id, store, messages, lastSeq: loaded.lastSeq, saving: true };
}

/**
 * Appends each finished prompt's log entries (prompt, answers, tool results, interruptions, decisions,
 * handoffs) to the session, in one `append` per prompt (`operationId` `runId:prompt`, `expectedSeq`),
 * before `prompt()` resolves. A failed write calls `warn` once per failure and the chat goes on.
 */
export function recordChat(
  runner: ChatRunner,
  session: ChatSessionFile,
  warn: (message: string) => void,
): void {
  if (!session.saving) return;
  let lastSeq = session.lastSeq;
  runner.onSettled(async (entries, runId) => {
    if (entries.length === 0) return;
    try {
      const appended = await session.store.append(session.id, entries as unknown as SessionItem[], {
        operationId: `${runId}:prompt`,
        expectedSeq: lastSeq,
      });
      lastSeq = appended.lastSeq;
    } catch (error) {
      warn(
        `the conversation was not saved to session ${session.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
}

/**
 * The context the next request would use: `context 15% · 1,234 of 8,192 tokens` when the model's window
 * is known (`contextWindowOf`), else `context ~1,234 tokens`. The estimate (`estimateTokens`) counts the
 * system prompt, the transcript and the tool definitions; it is linear in the transcript.
 */
export function contextUse(agent: ChatAgent): string {
  const { model, systemPrompt, messages, tools } = agent.state;
  const llm = messages.filter((m): m is Message => m.role !== 'custom');
  const specs = tools.flatMap((t) => ('spec' in t ? [t.spec] : []));
  const used = estimateTokens(
    { ...(systemPrompt !== undefined && { systemPrompt }), messages: llm, tools: specs },
    model,
  ).total;
  const window = contextWindowOf(model);
  if (window === undefined) return `context ~${formatTokens(used)} tokens`;
  const percent = Math.round((used * 100) / window);
  return `context ${percent}% · ${formatTokens(used)} of ${formatTokens(window)} tokens`;
}
