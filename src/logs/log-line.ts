/** Log formats the analyzer recognizes. */
export type LogFormat = 'jsonl' | 'access' | 'syslog' | 'timestamped' | 'plain';

/** Normalized severity. */
export type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'unknown';

/** One parsed log line. */
export interface LogLine {
  /** Milliseconds since the epoch, when the line has a time. */
  time?: number;
  level: Level;
  /** The message part (what error signatures are made of). */
  message: string;
}

const LEVEL_WORDS: [RegExp, Level][] = [
  [/^(fatal|crit(ical)?|emerg(ency)?|alert|panic)$/i, 'fatal'],
  [/^(err(or)?|severe|fail(ure)?)$/i, 'error'],
  [/^(warn(ing)?)$/i, 'warn'],
  [/^(info|notice|information)$/i, 'info'],
  [/^(debug|fine|verbose)$/i, 'debug'],
  [/^(trace|finer|finest)$/i, 'trace'],
];

/** A level name (any common spelling), or a pino/bunyan number (10 trace … 60 fatal). */
export function levelOf(value: unknown): Level {
  if (typeof value === 'number') {
    if (value >= 60) return 'fatal';
    if (value >= 50) return 'error';
    if (value >= 40) return 'warn';
    if (value >= 30) return 'info';
    if (value >= 20) return 'debug';
    return 'trace';
  }
  if (typeof value !== 'string') return 'unknown';
  const word = value.trim();
  return LEVEL_WORDS.find(([re]) => re.test(word))?.[1] ?? 'unknown';
}

/** The syslog severity (0–7) of a `<PRI>` value as a level. */
export function syslogSeverity(pri: number): Level {
  const severity = pri % 8;
  if (severity <= 2) return 'fatal';
  if (severity === 3) return 'error';
  if (severity === 4) return 'warn';
  if (severity <= 6) return 'info';
  return 'debug';
}

/** The first level word in free text (`[ERROR]`, `level=warn`, ` WARN `), if any. */
export function levelInText(text: string): Level {
  const match =
    /(?:^|[\s[(<|:=])(FATAL|CRIT(?:ICAL)?|EMERG|PANIC|ERROR|ERR|SEVERE|WARN(?:ING)?|INFO|NOTICE|DEBUG|TRACE)(?=$|[\s\])>|:,])/i.exec(
      text,
    );
  return match?.[1] !== undefined ? levelOf(match[1]) : 'unknown';
}
