/**
 * Namespaced debug lines on stderr, switched on by `DEBUG` like the `debug` package (`DEBUG=open-agent*`,
 * `DEBUG=open-agent:http,open-agent:retry`, `-open-agent:payload` to leave one out), or by
 * {@link enableDebug} (the CLI's `--verbose`). `VLLM_DEBUG_PAYLOAD=1` turns on `open-agent:payload`.
 *
 * Not the `debug` package: it is CommonJS only (not tree-shaken from our bundles) and reads
 * `process.env` directly, where this works on any runtime and costs one string comparison per call when off.
 * Callers pass only redacted text: no API key ever reaches a debug line.
 *
 * Namespaces: `open-agent:http` (each request: URL, body size, status, time to first byte and first
 * chunk, total), `open-agent:retry`, `open-agent:probe`, `open-agent:payload` (the redacted request body).
 *
 * @module
 */
import { readEnv } from '../http/env.js';

/** Where debug lines go. @default process.stderr (console.error where there is no process) */
export type DebugSink = (line: string) => void;

let cachedSpec: string | undefined;
let cachedPayload: string | undefined;
let include: RegExp[] = [];
let exclude: RegExp[] = [];
let extra: string | undefined;
let sink: DebugSink | undefined;
/** The raw variables (and `extra`) the compiled patterns were made from. */
let compiled = false;
let lastRawDebug: string | undefined;
let lastRawPayload: string | undefined;
let lastExtra: string | undefined;

function pattern(name: string): RegExp {
  const escaped = name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?');
  return new RegExp(`^${escaped}$`);
}

function compile(spec: string): void {
  include = [];
  exclude = [];
  for (const part of spec.split(/[\s,]+/)) {
    if (part === '') continue;
    if (part.startsWith('-')) exclude.push(pattern(part.slice(1)));
    else include.push(pattern(part));
  }
}

/**
 * True when `namespace` is switched on by `DEBUG` (re-read when it changes), `VLLM_DEBUG_PAYLOAD` (for
 * `open-agent:payload`) or {@link enableDebug}.
 */
export function debugEnabled(namespace: string): boolean {
  // Every model request asks, so the usual case (nothing changed) is two raw variable reads, no allocation.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const rawDebug = env?.DEBUG;
  const rawPayload = env?.VLLM_DEBUG_PAYLOAD;
  if (compiled && rawDebug === lastRawDebug && rawPayload === lastRawPayload && extra === lastExtra) {
    return include.length > 0 && matches(namespace);
  }
  compiled = true;
  lastRawDebug = rawDebug;
  lastRawPayload = rawPayload;
  lastExtra = extra;
  const spec = [readEnv('DEBUG'), extra].filter((s) => s !== undefined).join(',');
  const payload = readEnv('VLLM_DEBUG_PAYLOAD');
  if (spec !== cachedSpec || payload !== cachedPayload) {
    cachedSpec = spec;
    cachedPayload = payload;
    compile(
      payload !== undefined && /^(1|true|yes|on)$/i.test(payload) ? `${spec},open-agent:payload` : spec,
    );
  }
  return include.length > 0 && matches(namespace);
}

function matches(namespace: string): boolean {
  return !exclude.some((re) => re.test(namespace)) && include.some((re) => re.test(namespace));
}

/** Writes `namespace text` as one line when the namespace is on. `text` must already be redacted. */
export function debugLog(namespace: string, text: string | (() => string)): void {
  if (!debugEnabled(namespace)) return;
  const line = `${namespace} ${typeof text === 'function' ? text() : text}`;
  if (sink !== undefined) {
    sink(line);
    return;
  }
  const proc = (globalThis as { process?: { stderr?: { write(s: string): unknown } } }).process;
  if (proc?.stderr) proc.stderr.write(`${line}\n`);
  else console.error(line);
}

/**
 * Switches namespaces on from code, in `DEBUG` syntax, in addition to `DEBUG` (the CLI's `--verbose`
 * passes `open-agent:http,open-agent:retry,open-agent:probe`); `undefined` switches them off again.
 * @param to - Where lines go instead of stderr (each without its newline).
 */
export function enableDebug(namespaces: string | undefined, to?: DebugSink): void {
  extra = namespaces;
  sink = to;
  cachedSpec = undefined;
}
