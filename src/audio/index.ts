/**
 * Speech to text, text to speech and a voice pipeline, exported as `open-agent-sdk/audio`.
 *
 * @module
 */

export {
  type AudioFile,
  type AudioInput,
  audioMimeType,
  readAudioFile,
  sniffAudioFormat,
} from './audio-input.js';
export type { EndpointOptions } from './endpoint.js';
export { OrderedSpeech, type Synthesize } from './ordered-speech.js';
export { SentenceSplitter, type SentenceSplitterOptions } from './sentence-splitter.js';
export {
  collectBytes,
  generateSpeech,
  SPEECH_MIME_TYPES,
  type Speech,
  type SpeechFormat,
  type SpeechOptions,
  type StreamSpeechOptions,
  streamSpeech,
} from './speech.js';
export {
  streamTranscription,
  type TranscribeOptions,
  type Transcription,
  type TranscriptionFormat,
  type TranscriptionSegment,
  type TranscriptionStreamEvent,
  type TranscriptionWord,
  transcribe,
} from './transcribe.js';
export { EnergyTurnDetector, type TurnDetectorEvent, type TurnDetectorOptions } from './turn-detector.js';
export type { VoiceEvent, VoiceLatency } from './voice-events.js';
export {
  type VoiceInput,
  VoicePipeline,
  type VoicePipelineOptions,
  type VoiceTurnBoundary,
} from './voice-pipeline.js';
export { decodeWav, encodeWav, type PcmAudio, rms, sineTone } from './wav.js';
