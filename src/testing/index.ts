/**
 * Testing helpers, exported as `open-agent-sdk/testing` (Node-only): an in-process scripted model
 * (`scriptedModel`, no HTTP), a real loopback HTTP server that serves scripted or recorded response bodies in
 * byte pieces with response builders (`textResponse`, `toolCallResponse`), byte-splitting helpers, and a
 * loader for the recorded response corpus.
 *
 * @module
 */

export {
  type Corpus,
  type CorpusApi,
  type CorpusContentBlock,
  type CorpusEntry,
  type CorpusExpected,
  type CorpusToolCall,
  type CorpusUsage,
  corpusResponse,
  loadCorpus,
} from './corpus.js';
export {
  type FixtureHandler,
  type FixtureServer,
  type FixtureServerOptions,
  type RecordedRequest,
  type ScriptedResponse,
  startFixtureServer,
} from './fixture-server.js';
export { type ResponseOptions, type ResponseToolCall, textResponse, toolCallResponse } from './responses.js';
export {
  SCRIPTED_API,
  type ScriptedModel,
  type ScriptedStep,
  type ScriptedToolCall,
  type ScriptedTurn,
  scriptedModel,
} from './scripted-model.js';
export {
  type CheckContext,
  type DescribeFunction,
  type ItFunction,
  type SessionStoreCheck,
  type SessionStoreChecksOptions,
  type SessionStoreConformanceOptions,
  sessionStoreChecks,
  sessionStoreConformance,
} from './session-conformance.js';
export { assertValidSplits, everyByte, splitBytes, splitPoints, splitsFromFractions } from './split.js';
