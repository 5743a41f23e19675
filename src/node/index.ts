/**
 * Node-only parts of the SDK, exported as `open-agent-sdk/node`: everything here may use `node:*` modules
 * (file system, child processes, undici). The main entry stays web-standard.
 *
 * @packageDocumentation
 */
export const NODE_ENTRY = 'open-agent-sdk/node';
export { type CommitMessage, parseCommitMessage } from '../commit/commit-message.js';
export { COMMIT_SYSTEM_PROMPT } from '../commit/commit-prompt.js';
export { fitDiff } from '../commit/diff-budget.js';
export * from '../config/index.js';
export { createNodeHttpFetch, type NodeHttpFetchSettings } from '../http/node-http-fetch.js';
export {
  type AnalyzeLogsOptions,
  analyzeLogFiles,
  type FileFacts,
  type LogFacts,
} from '../logs/analyze-logs.js';
export type { Level as LogLevel, LogFormat } from '../logs/log-line.js';
export type { PeakWindow, SignatureCount } from '../logs/log-stats.js';
export { LOGS_SYSTEM_PROMPT, logsPrompt } from '../logs/logs-prompt.js';
export { JsonlFileStore, type JsonlFileStoreOptions } from '../sessions/jsonl-file-store.js';
export * from '../tools/builtin/index.js';
export { createNodeFetch, type NodeFetchSettings } from './fetch.js';
export { IMAGE_FILE_MAX_BYTES, type ImageFromFileOptions, imageFromFile } from './image-file.js';
