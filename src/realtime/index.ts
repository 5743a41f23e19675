/**
 * Realtime sessions over WebSocket (OpenAI Realtime event protocol), exported as
 * `open-agent-sdk/realtime`. Needs the optional `ws` package (`npm install ws`).
 *
 * @module
 */

export { RealtimeError, type RealtimeErrorOptions } from './realtime-error.js';
export type { RealtimeServerEvent, RealtimeSessionEvent } from './realtime-events.js';
export { type RealtimeOptions, RealtimeSession, type RealtimeToolCall } from './realtime-session.js';
