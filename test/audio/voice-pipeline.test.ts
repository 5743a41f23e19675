import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import {
  encodeWav,
  sineTone,
  type VoiceEvent,
  VoicePipeline,
  type VoiceTurnBoundary,
} from '../../src/audio/index.js';
import {
  type FixtureServer,
  type ScriptedResponse,
  startFixtureServer,
  textResponse,
} from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { type Loopback, parseForm, type SeenRequest, startLoopback, until } from './loopback.js';

const RATE = 16_000;
let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A streamed text answer whose pieces arrive `delayMs` apart. */
function slowText(pieces: string[], delayMs: number): ScriptedResponse {
  const scripted = textResponse(pieces);
  const body = String(scripted.body);
  const splits: number[] = [];
  for (let i = body.indexOf('\n\n'); i !== -1 && i + 2 < body.length; i = body.indexOf('\n\n', i + 2))
    splits.push(i + 2);
  return { ...scripted, splits, chunkDelayMs: delayMs };
}

/** The first events of a streamed answer, then the connection is held open (the model "still writing"). */
function stalledText(pieces: string[]): ScriptedResponse {
  const body = String(textResponse(pieces).body);
  const events = body.split('\n\n').filter((e) => e !== '');
  const kept = `${events.slice(0, 1 + pieces.length).join('\n\n')}\n\n`;
  return { contentType: 'text/event-stream', body: kept, stallAtEnd: true };
}

async function sttServer(texts: string[]): Promise<Loopback> {
  const server = await startLoopback(async (request, res, index) => {
    const form = await parseForm(request);
    const file = form.get('file') as File;
    const bytes = new Uint8Array(await file.arrayBuffer());
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ text: texts[index] ?? '', bytes: bytes.length }));
  });
  servers.push(server);
  return server;
}

/** TTS: answers `AUDIO[<input>]` as audio/wav; `delays` per input substring; `STALL` never answers. */
async function ttsServer(
  delays: Record<string, number> = {},
): Promise<Loopback & { maxInFlight: () => number }> {
  let inFlight = 0;
  let max = 0;
  const server = await startLoopback(async (request: SeenRequest, res: ServerResponse) => {
    const input = String(JSON.parse(new TextDecoder().decode(request.body)).input);
    inFlight++;
    max = Math.max(max, inFlight);
    res.on('close', () => inFlight--);
    if (input.includes('STALL')) return;
    const delay = Object.entries(delays).find(([key]) => input.includes(key))?.[1] ?? 0;
    await new Promise((r) => setTimeout(r, delay));
    res.writeHead(200, { 'content-type': 'audio/wav' });
    res.end(`AUDIO[${input}]`);
  });
  servers.push(server);
  return Object.assign(server, { maxInFlight: () => max });
}

async function modelServer(responses: ScriptedResponse[]): Promise<FixtureServer> {
  const server = await startFixtureServer({ responses });
  servers.push(server);
  return server;
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('VoicePipeline', () => {
  it('one turn from a WAV file: speech starts before the answer is complete, in order, 2 in flight', async () => {
    const stt = await sttServer(['What is the weather?']);
    const tts = await ttsServer({ First: 300 });
    const model = await modelServer([
      slowText(['First sentence is here. ', 'Second sentence follows. ', 'Third one, ', 'the end.'], 120),
    ]);
    const agent = new Agent({ model: loopbackModel(model.baseUrl) });
    const pipeline = new VoicePipeline({
      stt: { baseUrl: stt.baseUrl, model: 'whisper' },
      agent,
      tts: { baseUrl: tts.baseUrl, model: 'kokoro', voice: 'af_heart', format: 'wav' },
    });
    const events: VoiceEvent[] = [];
    const wav = encodeWav(sineTone(300, 500, 0.5, RATE), RATE);
    for await (const event of pipeline.run(wav)) events.push(event);

    const types = events.map((e) => e.type);
    expect(types[0]).toBe('turn_start');
    expect(events[1]).toMatchObject({ type: 'transcript_done', text: 'What is the weather?' });
    const chunks = events.filter((e) => e.type === 'audio_chunk');
    expect(chunks.map((c) => [c.seq, c.sentence, text(c.audio)])).toEqual([
      [0, 0, 'AUDIO[First sentence is here.]'],
      [1, 1, 'AUDIO[Second sentence follows.]'],
      [2, 2, 'AUDIO[Third one, the end.]'],
    ]);
    expect(chunks[0]?.mimeType).toBe('audio/wav');
    // The first audio was emitted while the agent was still writing.
    expect(types.indexOf('audio_chunk')).toBeLessThan(types.lastIndexOf('text_delta'));
    const end = events.at(-1);
    expect(end).toMatchObject({
      type: 'turn_end',
      interrupted: false,
      text: 'First sentence is here. Second sentence follows. Third one, the end.',
    });
    if (end?.type !== 'turn_end') throw new Error('no turn_end');
    expect(end.latency.transcriptMs).toBeGreaterThanOrEqual(0);
    expect(end.latency.firstTokenMs).toBeGreaterThanOrEqual(end.latency.transcriptMs ?? 0);
    expect(end.latency.firstAudioMs).toBeGreaterThan(end.latency.firstTokenMs ?? 0);
    expect(tts.maxInFlight()).toBe(2);
    // STT got the WAV as the `file` part.
    const form = await parseForm(stt.requests[0] as SeenRequest);
    expect(new Uint8Array(await (form.get('file') as File).arrayBuffer())).toEqual(wav);
    expect(tts.disconnects()).toBe(0);
  });

  it('barge-in over streamed PCM aborts the agent and pending speech; the partial answer stays in history', async () => {
    const stt = await sttServer(['Tell me a story.', 'Stop, what time is it?']);
    const tts = await ttsServer();
    const model = await modelServer([
      stalledText(['Once upon a time there was a fox. ', 'It lived STALL in a wood. ']),
      slowText(['It is noon.'], 0),
    ]);
    const agent = new Agent({ model: loopbackModel(model.baseUrl) });
    const pipeline = new VoicePipeline({
      stt: { baseUrl: stt.baseUrl, model: 'whisper' },
      agent,
      tts: { baseUrl: tts.baseUrl, model: 'kokoro', voice: 'v', format: 'pcm' },
      turnDetection: { sampleRate: RATE, silenceMs: 300 },
    });
    let heardFirstAudio: () => void = () => {};
    const firstAudio = new Promise<void>((resolve) => {
      heardFirstAudio = resolve;
    });
    const pcm = (samples: Int16Array): Uint8Array => new Uint8Array(samples.buffer);
    async function* microphone(): AsyncGenerator<Uint8Array | VoiceTurnBoundary> {
      for (let i = 0; i < 4; i++) yield pcm(sineTone(300, 100, 0.5, RATE));
      for (let i = 0; i < 5; i++) yield pcm(new Int16Array(RATE / 10));
      await firstAudio;
      for (let i = 0; i < 3; i++) yield pcm(sineTone(300, 100, 0.5, RATE));
      yield { type: 'end_of_turn' };
    }
    const events: VoiceEvent[] = [];
    for await (const event of pipeline.run(microphone())) {
      events.push(event);
      if (event.type === 'audio_chunk') heardFirstAudio();
    }
    const brief = events
      .filter((e) => e.type !== 'text_delta')
      .map((e) =>
        e.type === 'turn_end'
          ? `turn_end:${e.turn}:${e.interrupted}`
          : `${e.type}:${'turn' in e ? e.turn : ''}`,
      );
    expect(brief).toEqual([
      'turn_start:1',
      'transcript_done:1',
      'audio_chunk:1',
      'barge_in:1',
      'turn_end:1:true',
      'turn_start:2',
      'transcript_done:2',
      'audio_chunk:2',
      'turn_end:2:false',
    ]);
    // The model server saw the first request's connection close; the TTS server saw the stalled one's.
    await model.waitForDisconnect();
    await until(() => tts.disconnects() === 1);
    const interrupted = events.find((e) => e.type === 'turn_end' && e.turn === 1);
    expect(interrupted).toMatchObject({
      text: 'Once upon a time there was a fox. It lived STALL in a wood. ',
    });
    // The agent kept the partial answer, then the second turn.
    const roles = agent.state.messages.map((m) => m.role);
    expect(roles).toEqual(['user', 'assistant', 'user', 'assistant']);
    const partial = agent.state.messages[1];
    // Kept as a finished answer (text only), so the next model call sees what was said.
    expect(partial?.role === 'assistant' && partial.stopReason).toBe('stop');
    expect(JSON.stringify(partial)).toContain('Once upon a time there was a fox.');
    // The second model request carried the partial answer in its history.
    expect(JSON.stringify(model.requests[1]?.json)).toContain('Once upon a time');
    expect(
      text((events.find((e) => e.type === 'audio_chunk' && e.turn === 2) as { audio: Uint8Array }).audio),
    ).toBe('AUDIO[It is noon.]');
    expect(stt.disconnects()).toBe(0);
  });

  it('a failing TTS request is an error event; the session ends cleanly', async () => {
    const stt = await sttServer(['Hi there.']);
    const tts = await startLoopback((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'unknown voice' } }));
    });
    servers.push(tts);
    const model = await modelServer([slowText(['Hello to you too, friend.'], 0)]);
    const pipeline = new VoicePipeline({
      stt: { baseUrl: stt.baseUrl, model: 'w' },
      agent: new Agent({ model: loopbackModel(model.baseUrl) }),
      tts: { baseUrl: tts.baseUrl, model: 'k', voice: 'nobody' },
    });
    const events: VoiceEvent[] = [];
    for await (const event of pipeline.run(encodeWav(sineTone(300, 300), RATE))) events.push(event);
    const error = events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && error.error.name).toBe('ApiError');
    expect(error?.type === 'error' && error.error.message).toContain('unknown voice');
    expect(events.at(-1)).toMatchObject({ type: 'turn_end', interrupted: false });
  });

  it('breaking out of the iteration aborts the turn in flight', async () => {
    const stt = await sttServer(['Go on.']);
    const tts = await ttsServer();
    const model = await modelServer([stalledText(['A long answer begins here. '])]);
    const agent = new Agent({ model: loopbackModel(model.baseUrl) });
    const pipeline = new VoicePipeline({
      stt: { baseUrl: stt.baseUrl, model: 'w' },
      agent,
      tts: { baseUrl: tts.baseUrl, model: 'k', voice: 'v' },
    });
    for await (const event of pipeline.run(encodeWav(sineTone(300, 300), RATE))) {
      if (event.type === 'audio_chunk') break;
    }
    await model.waitForDisconnect();
    expect(agent.state.isStreaming).toBe(false);
  });
});
