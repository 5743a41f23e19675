/**
 * The chat-completions body pipeline in process: SSE decoder → response handler → message builder, the
 * same objects the driver uses, fed bytes in any split. For property tests that need thousands of runs
 * (a loopback request per run would make them minutes long); the fault suite covers the HTTP path.
 */
import { SdkError } from '../../src/errors/sdk-error.js';
import { SseDecoder } from '../../src/http/sse.js';
import type { AssistantEvent, Model } from '../../src/index.js';
import { resolveCompat } from '../../src/providers/openai-chat/index.js';
import { ChatResponseHandler } from '../../src/providers/openai-chat/stream.js';
import { MessageBuilder } from '../../src/stream/message-builder.js';

const MODEL: Model = { id: 'm', api: 'openai-chat', provider: 'custom', baseUrl: 'http://127.0.0.1:1/v1' };

/** Decodes `pieces` as one response and returns every event, serialized (lazy deltas included). */
export function decodePieces(pieces: readonly Uint8Array[]): string[] {
  const builder = new MessageBuilder(MODEL);
  builder.message.timestamp = 0;
  const handler = new ChatResponseHandler(
    builder,
    'http://127.0.0.1:1/v1/chat/completions',
    resolveCompat(MODEL),
  );
  const decoder = new SseDecoder();
  const out: AssistantEvent[] = [];
  builder.start([]);
  let ended = false;
  const onEvent = (event: { event: string; data: string }) => {
    if (!ended && handler.sse(event) === true) ended = true;
  };
  try {
    for (const piece of pieces) {
      decoder.push(piece, onEvent);
      out.push(...builder.drain());
    }
    decoder.end(onEvent);
    const { info, error } = handler.end();
    builder.finish(info, error);
  } catch (error) {
    if (!SdkError.isInstance(error)) throw error;
    builder.fail('error', error);
  }
  out.push(...builder.drain());
  return out.map((e) =>
    JSON.stringify(e, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v)),
  );
}
