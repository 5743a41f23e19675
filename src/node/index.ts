/**
 * Node-only parts of the SDK, exported as `open-agent-sdk/node`: everything here may use `node:*` modules
 * (file system, child processes, undici). The main entry stays web-standard.
 *
 * @packageDocumentation
 */
export const NODE_ENTRY = 'open-agent-sdk/node';
export { type CommitMessage, parseCommitMessage } from '../cli/commit/commit-message.js';
export { COMMIT_SYSTEM_PROMPT } from '../cli/commit/commit-prompt.js';
export { fitDiff } from '../cli/commit/diff-budget.js';
export {
  type AnalyzeLogsOptions,
  analyzeLogFiles,
  type FileFacts,
  type LogFacts,
} from '../cli/logs/analyze-logs.js';
export type { Level as LogLevel, LogFormat } from '../cli/logs/log-line.js';
export type { PeakWindow, SignatureCount } from '../cli/logs/log-stats.js';
export { LOGS_SYSTEM_PROMPT, logsPrompt } from '../cli/logs/logs-prompt.js';
export * from '../config/index.js';
export { createNodeHttpFetch, type NodeHttpFetchSettings } from '../http/node-http-fetch.js';
export { JsonlFileStore, type JsonlFileStoreOptions } from '../sessions/jsonl-file-store.js';
export * from '../tools/builtin/index.js';
export { createNodeFetch, type NodeFetchSettings } from './fetch.js';
export { IMAGE_FILE_MAX_BYTES, type ImageFromFileOptions, imageFromFile } from './image-file.js';
