export { modelsDir } from './cache-dir.js';
export {
  ModelDownloadError,
  type ModelDownloadFailure,
  type ModelRecordFile,
  type PulledModel,
  type PullOptions,
  type PullProgress,
  pullModel,
  readModelRecord,
} from './download.js';
export { cachedPathFor, type LocalModel, listLocalModels } from './local-models.js';
export { isModelUri, type ModelSource, parseModelUri } from './model-uri.js';
