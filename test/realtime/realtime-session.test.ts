import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { ConnectionError } from '../../src/errors/connection-error.js';
import { RealtimeError, RealtimeSession, type RealtimeSessionEvent } from '../../src/realtime/index.js';
import { tool } from '../../src/tools/tool.js';

type ClientEvent = { type: string; [key: string]: unknown };
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup) await fn();
  cleanup = [];
});

/** A loopback WebSocket server playing the Realtime protocol: a text answer with a function call, then audio. */
async function realtimeServer() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const received: ClientEvent[] = [];
  const handshakes: IncomingMessage[] = [];
  const closes: number[] = [];
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    handshakes.push(request);
    const emit = (event: Record<string, unknown>): void => socket.send(JSON.stringify(event));
    emit({ type: 'session.created', session: { id: 'sess_1' } });
    let responses = 0;
    socket.on('close', (code) => closes.push(code));
    socket.on('message', (raw) => {
      const event = JSON.parse(String(raw)) as ClientEvent;
      received.push(event);
      if (event.type === 'session.update') emit({ type: 'session.updated', session: event.session });
      if (event.type !== 'response.create') return;
      responses++;
      if (responses === 1) {
        emit({ type: 'response.created', response: { id: 'resp_1' } });
        emit({ type: 'response.output_text.delta', response_id: 'resp_1', delta: 'Let me check.' });
        emit({
          type: 'response.function_call_arguments.done',
          response_id: 'resp_1',
          item_id: 'item_1',
          call_id: 'call_7',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
        });
        emit({ type: 'response.done', response: { id: 'resp_1', status: 'completed' } });
      } else {
        emit({ type: 'response.created', response: { id: 'resp_2' } });
        emit({
          type: 'response.output_audio.delta',
          response_id: 'resp_2',
          item_id: 'i2',
          delta: Buffer.from([1, 2, 3]).toString('base64'),
        });
        emit({
          type: 'response.audio.delta',
          response_id: 'resp_2',
          item_id: 'i2',
          delta: Buffer.from([4, 5]).toString('base64'),
        });
        emit({ type: 'response.output_audio_transcript.delta', item_id: 'i2', delta: 'Sunny in Paris.' });
        emit({
          type: 'error',
          error: {
            type: 'invalid_request_error',
            code: 'bad_thing',
            message: 'just a warning',
            event_id: 'ev_9',
          },
        });
        emit({ type: 'response.done', response: { id: 'resp_2', status: 'completed' } });
      }
    });
  });
  const port = (wss.address() as AddressInfo).port;
  cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  return { url: `ws://127.0.0.1:${port}/v1/realtime`, received, handshakes, closes, wss };
}

describe('RealtimeSession', () => {
  it('plays the protocol: session.update with tools, a function call run and answered, audio and text out', async () => {
    const server = await realtimeServer();
    const calls: unknown[] = [];
    const weather = tool<{ city: string }>({
      name: 'get_weather',
      description: 'Weather for a city.',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      execute: ({ args }) => {
        calls.push(args);
        return `Sunny in ${args.city}, 21 C.`;
      },
    });
    const session = await RealtimeSession.connect({
      url: server.url,
      model: 'gpt-realtime',
      apiKey: 'sk-realtime-secret',
      session: { type: 'realtime', instructions: 'Be brief.' },
      tools: [weather],
    });
    session.sendText('Weather in Paris?');
    const events: RealtimeSessionEvent[] = [];
    for await (const event of session.events()) {
      events.push(event);
      if (event.type === 'response_done' && event.response.id === 'resp_2') await session.close();
    }
    // Handshake: the URL given (model added), the bearer key.
    expect(server.handshakes[0]?.url).toBe('/v1/realtime?model=gpt-realtime');
    expect(server.handshakes[0]?.headers.authorization).toBe('Bearer sk-realtime-secret');
    // Client events in order.
    expect(server.received.map((e) => e.type)).toEqual([
      'session.update',
      'conversation.item.create',
      'response.create',
      'conversation.item.create',
      'response.create',
    ]);
    expect(server.received[0]).toEqual({
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: 'Be brief.',
        tools: [
          {
            type: 'function',
            name: 'get_weather',
            description: 'Weather for a city.',
            parameters: expect.objectContaining({ type: 'object', required: ['city'] }),
          },
        ],
      },
    });
    expect(server.received[1]).toEqual({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
    });
    expect(server.received[3]).toEqual({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: 'call_7', output: 'Sunny in Paris, 21 C.' },
    });
    expect(calls).toEqual([{ city: 'Paris' }]);
    const typed = events.filter((e) => e.type !== 'server_event');
    expect(typed.map((e) => e.type)).toEqual([
      'text_delta',
      'tool_start',
      'response_done',
      'tool_end',
      'audio',
      'audio',
      'transcript_delta',
      'error',
      'response_done',
      'closed',
    ]);
    const audio = typed
      .filter((e) => e.type === 'audio')
      .map((e) => (e.type === 'audio' ? [...e.audio] : []));
    expect(audio).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    const error = typed.find((e) => e.type === 'error');
    expect(error?.type === 'error' && RealtimeError.isInstance(error.error) && error.error.code).toBe(
      'bad_thing',
    );
    expect(typed.at(-1)).toMatchObject({ type: 'closed', code: 1000 });
    await expect.poll(() => server.closes).toEqual([1000]);
    expect(server.wss.clients.size).toBe(0);
  });

  it('a refused approval sends a refusal as the output, without running the tool', async () => {
    const server = await realtimeServer();
    let ran = false;
    const t = tool({
      name: 'get_weather',
      parameters: { type: 'object' },
      execute: () => {
        ran = true;
        return 'x';
      },
    });
    const session = await RealtimeSession.connect({ url: server.url, tools: [t], approve: () => false });
    session.sendText('hi');
    for await (const event of session.events()) {
      if (event.type === 'tool_end') {
        expect(event).toMatchObject({ isError: true, output: 'The user refused to run get_weather.' });
        await session.close();
      }
    }
    expect(ran).toBe(false);
  });

  it('a refused handshake is a RealtimeError with the status and no key; abort closes the socket', async () => {
    const http = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"bad key"}');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const port = (http.address() as AddressInfo).port;
    const error = await RealtimeSession.connect({
      url: `http://127.0.0.1:${port}/v1/realtime`,
      apiKey: 'sk-realtime-secret',
    }).catch((e: unknown) => e);
    expect(RealtimeError.isInstance(error) && error.status).toBe(401);
    expect(String((error as Error).message)).not.toContain('sk-realtime-secret');

    const refused = await RealtimeSession.connect({ url: 'ws://127.0.0.1:1/v1/realtime' }).catch(
      (e: unknown) => e,
    );
    expect(ConnectionError.isInstance(refused)).toBe(true);

    const server = await realtimeServer();
    const controller = new AbortController();
    const session = await RealtimeSession.connect({ url: server.url, signal: controller.signal });
    controller.abort();
    const last: RealtimeSessionEvent[] = [];
    for await (const event of session.events()) last.push(event);
    expect(last.at(-1)?.type).toBe('closed');
    await expect.poll(() => server.wss.clients.size).toBe(0);
  });

  it('refuses a URL that is not ws/wss/http/https', async () => {
    await expect(RealtimeSession.connect({ url: 'ftp://example.com/x' })).rejects.toThrow(/ws: or wss:/);
  });
});
