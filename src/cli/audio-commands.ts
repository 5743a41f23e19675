/**
 * `open-agent transcribe FILE`, `speak "TEXT" -o FILE`, `image "PROMPT" -o FILE` and `voice --in FILE
 * --out FILE`: the audio and image endpoints from the command line, with the server resolved as `run`
 * resolves it (flags > environment > config file > preset). Models are chosen per command (`--model`),
 * since `OPENAI_MODEL` names a chat model.
 *
 * @module
 */

import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { Agent } from '../agent/agent.js';
import { readAudioFile } from '../audio/audio-input.js';
import type { EndpointOptions } from '../audio/endpoint.js';
import { generateSpeech, type SpeechFormat } from '../audio/speech.js';
import { type TranscriptionFormat, transcribe } from '../audio/transcribe.js';
import { VoicePipeline } from '../audio/voice-pipeline.js';
import { encodeWav } from '../audio/wav.js';
import { ConfigError } from '../config/config-error.js';
import { resolveConfig } from '../config/resolve-config.js';
import { generateImage } from '../images/generate-image.js';
import { redactUrl } from '../index.js';
import { EXIT_CODES } from './exit-codes.js';
import { apiKeyFor, requestOptionsOf, resolveModelSettings } from './model-settings.js';
import type { OutputSink } from './output.js';
import { UsageError } from './usage-error.js';

const stderr: OutputSink = { write: (text) => void process.stderr.write(text) };

interface ServerFlags {
  baseUrl?: string;
  apiKey?: string;
  provider?: string;
  config?: string;
  model?: string;
}

/** The endpoint (base URL, key, retries, time limits) for an audio or image command. */
export function resolveEndpoint(flags: ServerFlags, env: NodeJS.ProcessEnv, cwd: string): EndpointOptions {
  let config: ReturnType<typeof resolveConfig>;
  try {
    config = resolveConfig({
      flags: {
        ...(flags.baseUrl !== undefined && { baseUrl: flags.baseUrl }),
        ...(flags.apiKey !== undefined && { apiKey: flags.apiKey }),
        ...(flags.provider !== undefined && { provider: flags.provider }),
        ...(flags.config !== undefined && { config: flags.config }),
      },
      env,
      cwd,
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const baseUrl = config.baseUrl;
  if (baseUrl === undefined) {
    throw new UsageError(
      'no server given: pass --base-url URL (e.g. http://localhost:8000/v1 for speaches, http://localhost:8080/v1 for LocalAI) or set OPENAI_BASE_URL',
    );
  }
  const apiKey = apiKeyFor(baseUrl, flags.apiKey, env);
  return { baseUrl, ...(apiKey !== undefined && { apiKey }), ...requestOptionsOf(config) };
}

function serverOptions(command: Command): Command {
  return command
    .option('--base-url <url>', 'server base URL including /v1 (or OPENAI_BASE_URL)')
    .option('--api-key <key>', 'API key (or OPENAI_API_KEY for its own origin)')
    .option('--provider <name>', 'preset name (openai, openrouter, ...)')
    .option('--config <file>', 'config file to read');
}

/** Runs a command body: usage errors exit 2, other errors 1, Ctrl-C aborts. */
async function guarded(body: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.on('SIGINT', abort);
  const started = performance.now();
  try {
    await body(controller.signal);
    stderr.write(`open-agent: done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? EXIT_CODES.usage : EXIT_CODES.error;
  } finally {
    process.off('SIGINT', abort);
  }
}

function transcribeCommand(): Command {
  return serverOptions(
    new Command('transcribe').description('transcribe an audio file (POST /audio/transcriptions)'),
  )
    .argument('<file>', 'audio file (wav, mp3, flac, ogg, webm, m4a)')
    .option('--model <id>', 'transcription model', 'whisper-1')
    .option('--language <code>', 'ISO-639-1 language of the audio')
    .option('--prompt <text>', 'text to guide the transcription')
    .option('--format <format>', 'json | text | srt | verbose_json | vtt', 'text')
    .action((file: string, flags: ServerFlags & { language?: string; prompt?: string; format: string }) =>
      guarded(async (signal) => {
        const endpoint = resolveEndpoint(flags, process.env, process.cwd());
        const audio = await readAudioFile(file);
        stderr.write(
          `open-agent: transcribing ${file} (${audio.data.length} bytes) with ${flags.model} at ${redactUrl(endpoint.baseUrl)}\n`,
        );
        const result = await transcribe({
          ...endpoint,
          signal,
          model: flags.model ?? 'whisper-1',
          audio,
          responseFormat: flags.format as TranscriptionFormat,
          ...(flags.language !== undefined && { language: flags.language }),
          ...(flags.prompt !== undefined && { prompt: flags.prompt }),
        });
        process.stdout.write(
          flags.format === 'verbose_json'
            ? `${JSON.stringify(result, null, 2)}\n`
            : `${result.text.trimEnd()}\n`,
        );
      }),
    );
}

function speakCommand(): Command {
  return serverOptions(new Command('speak').description('synthesize speech to a file (POST /audio/speech)'))
    .argument('<text>', 'the text to speak')
    .requiredOption('-o, --output <file>', 'where to write the audio')
    .option('--model <id>', 'speech model', 'tts-1')
    .option('--voice <name>', 'voice', 'alloy')
    .option('--format <format>', 'mp3 | opus | aac | flac | wav | pcm (default: from the output extension)')
    .option('--speed <x>', 'speed, 0.25 to 4')
    .option('--instructions <text>', 'style instructions (not for tts-1)')
    .action(
      (
        text: string,
        flags: ServerFlags & {
          output: string;
          voice: string;
          format?: string;
          speed?: string;
          instructions?: string;
        },
      ) =>
        guarded(async (signal) => {
          const endpoint = resolveEndpoint(flags, process.env, process.cwd());
          const format = (flags.format ??
            /\.(mp3|opus|aac|flac|wav|pcm)$/i.exec(flags.output)?.[1]?.toLowerCase() ??
            'mp3') as SpeechFormat;
          stderr.write(
            `open-agent: synthesizing ${text.length} characters with ${flags.model} at ${redactUrl(endpoint.baseUrl)}\n`,
          );
          const speech = await generateSpeech({
            ...endpoint,
            signal,
            model: flags.model ?? 'tts-1',
            input: text,
            voice: flags.voice,
            format,
            ...(flags.speed !== undefined && { speed: Number(flags.speed) }),
            ...(flags.instructions !== undefined && { instructions: flags.instructions }),
          });
          await writeFile(flags.output, speech.audio);
          stderr.write(
            `open-agent: wrote ${speech.audio.length} bytes (${speech.mimeType}) to ${flags.output}\n`,
          );
        }),
    );
}

function imageCommand(): Command {
  return serverOptions(
    new Command('image').description('generate an image to a file (POST /images/generations)'),
  )
    .argument('<prompt>', 'what to draw')
    .requiredOption('-o, --output <file>', 'where to write the image (with several, -1, -2 ... are added)')
    .option('--model <id>', 'image model', 'gpt-image-1')
    .option('--size <WxH>', 'image size, e.g. 1024x1024')
    .option('--quality <q>', 'quality (standard | hd | low | medium | high | auto)')
    .option('-n, --count <n>', 'number of images', '1')
    .action(
      (
        prompt: string,
        flags: ServerFlags & { output: string; size?: string; quality?: string; count: string },
      ) =>
        guarded(async (signal) => {
          const endpoint = resolveEndpoint(flags, process.env, process.cwd());
          stderr.write(
            `open-agent: generating with ${flags.model} at ${redactUrl(endpoint.baseUrl)} (this can take minutes on a local server)\n`,
          );
          const result = await generateImage({
            ...endpoint,
            signal,
            model: flags.model ?? 'gpt-image-1',
            prompt,
            n: Number(flags.count),
            ...(flags.size !== undefined && { size: flags.size }),
            ...(flags.quality !== undefined && { quality: flags.quality }),
          });
          for (const warning of result.warnings) stderr.write(`warning: ${warning}\n`);
          for (const [index, image] of result.images.entries()) {
            const path =
              result.images.length > 1
                ? flags.output.replace(/(\.[^./]+)?$/, `-${index + 1}$1`)
                : flags.output;
            if (image.data) {
              await writeFile(path, image.data);
              stderr.write(`open-agent: wrote ${image.data.length} bytes (${image.mimeType}) to ${path}\n`);
            } else if (image.url) process.stdout.write(`${image.url}\n`);
          }
        }),
    );
}

interface VoiceFlags extends ServerFlags {
  in: string;
  out: string;
  audioBaseUrl?: string;
  sttModel: string;
  ttsModel: string;
  voice: string;
  sampleRate: string;
}

function voiceCommand(): Command {
  return serverOptions(
    new Command('voice').description(
      'one voice turn: transcribe a file, answer with the agent, speak the answer',
    ),
  )
    .requiredOption('--in <file>', 'the user audio (wav, mp3 ...)')
    .requiredOption('--out <file>', 'where to write the spoken answer (WAV)')
    .option('--model <id>', 'chat model (as for run)')
    .option('--audio-base-url <url>', 'server for transcription and speech (default: --base-url)')
    .option('--stt-model <id>', 'transcription model', 'whisper-1')
    .option('--tts-model <id>', 'speech model', 'tts-1')
    .option('--voice <name>', 'voice', 'alloy')
    .option('--sample-rate <hz>', "sample rate of the server's pcm speech", '24000')
    .action((flags: VoiceFlags) =>
      guarded(async (signal) => {
        const chat = await resolveModelSettings({ flags, env: process.env, cwd: process.cwd(), stderr });
        const audioServer = resolveEndpoint(
          { ...flags, baseUrl: flags.audioBaseUrl ?? chat.model.baseUrl },
          process.env,
          process.cwd(),
        );
        const pipeline = new VoicePipeline({
          stt: { ...audioServer, model: flags.sttModel },
          agent: new Agent({
            model: chat.model,
            ...(chat.apiKey !== undefined && { streamOptions: { apiKey: chat.apiKey } }),
          }),
          tts: { ...audioServer, model: flags.ttsModel, voice: flags.voice, format: 'pcm' },
        });
        const pcm: Uint8Array[] = [];
        let failed: Error | undefined;
        for await (const event of pipeline.run((await readAudioFile(flags.in)).data, { signal })) {
          if (event.type === 'transcript_done') stderr.write(`you: ${event.text}\n`);
          else if (event.type === 'text_delta') process.stdout.write(event.delta);
          else if (event.type === 'audio_chunk') pcm.push(event.audio);
          else if (event.type === 'error') failed = event.error;
          else if (event.type === 'turn_end') {
            process.stdout.write('\n');
            stderr.write(`open-agent: latency ${JSON.stringify(event.latency)} ms\n`);
          }
        }
        if (failed) throw failed;
        const joined = new Uint8Array(pcm.reduce((n, c) => n + c.length, 0));
        let offset = 0;
        for (const chunk of pcm) {
          joined.set(chunk, offset);
          offset += chunk.length;
        }
        await writeFile(flags.out, encodeWav(joined, Number(flags.sampleRate)));
        stderr.write(`open-agent: wrote ${joined.length} bytes of audio to ${flags.out}\n`);
      }),
    );
}

/** The audio and image commands, for `main.ts` to register. */
export function audioCommands(): Command[] {
  return [transcribeCommand(), speakCommand(), voiceCommand(), imageCommand()];
}
