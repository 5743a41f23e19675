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
 * Which namespaces are on: {@link debugSwitches} returns one of these (the same object while `DEBUG`,
 * `VLLM_DEBUG_PAYLOAD` and {@link enableDebug} are unchanged), so a caller that asks about several
 * namespaces reads the environment once.
 */
export interface DebugSwitches {
  /** True when `namespace` (e.g. `open-agent:http`) is on. Answers are memoized per namespace. */
  enabled(namespace: string): boolean;
}

const OFF: DebugSwitches = Object.freeze({ enabled: () => false });
let current: DebugSwitches = OFF;

function switchesFor(): DebugSwitches {
  if (include.length === 0) return OFF;
  const answers = new Map<string, boolean>();
  return {
    enabled(namespace) {
      let on = answers.get(namespace);
      if (on === undefined) {
        on = matches(namespace);
        answers.set(namespace, on);
      }
      return on;
    },
  };
}

/**
 * The debug switches now: two raw variable reads (`DEBUG`, `VLLM_DEBUG_PAYLOAD`) when nothing changed,
 * no allocation. A model call takes one snapshot when it starts (reading `process.env` is a C++ call on
 * Node, a few µs each on a cold path), so a changed `DEBUG` applies from the next call.
 */
export function debugSwitches(): DebugSwitches {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const rawDebug = env?.DEBUG;
  const rawPayload = env?.VLLM_DEBUG_PAYLOAD;
  if (compiled && rawDebug === lastRawDebug && rawPayload === lastRawPayload && extra === lastExtra) {
    return current;
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
    current = switchesFor();
  }
  return current;
}

/**
 * True when `namespace` is switched on by `DEBUG` (re-read when it changes), `VLLM_DEBUG_PAYLOAD` (for
 * `open-agent:payload`) or {@link enableDebug}. Same as `debugSwitches().enabled(namespace)`.
 */
export function debugEnabled(namespace: string): boolean {
  return debugSwitches().enabled(namespace);
}

function matches(namespace: string): boolean {
  return !exclude.some((re) => re.test(namespace)) && include.some((re) => re.test(namespace));
}

/**
 * Writes `namespace text` as one line when the namespace is on. `text` must already be redacted.
 * @param switches - a snapshot from {@link debugSwitches} the caller already took. @default read now
 */
export function debugLog(
  namespace: string,
  text: string | (() => string),
  switches: DebugSwitches = debugSwitches(),
): void {
  if (!switches.enabled(namespace)) return;
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
