import { type LogFormat, type LogLine, levelInText, levelOf, syslogSeverity } from './log-line.js';

/** Common/combined access log: `host ident user [10/Oct/2000:13:55:36 -0700] "GET /x HTTP/1.1" 200 2326 ...`. */
const ACCESS = /^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+)[^"]*" (\d{3}) (\S+)/;
/** RFC 3164 syslog: `<34>Oct 11 22:14:15 host proc[12]: msg` (PRI optional). */
const SYSLOG_3164 =
  /^(?:<(\d{1,3})>)?([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (\S+) ([^:[\s]+)(?:\[\d+\])?: (.*)$/;
/** RFC 5424 syslog: `<165>1 2003-10-11T22:14:15.003Z host app pid msgid [sd] msg`. */
const SYSLOG_5424 = /^<(\d{1,3})>1 (\S+) \S+ (\S+) \S+ \S+ (?:-|\[.*?\]) ?(.*)$/;
/** A line starting with an ISO-like timestamp. */
const TIMESTAMPED = /^\[?(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)\]?\s+(.*)$/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function isoTime(text: string): number | undefined {
  const normalized = text.replace(' ', 'T').replace(',', '.');
  const ms = Date.parse(/[Zz]|[+-]\d\d:?\d\d$/.test(normalized) ? normalized : `${normalized}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `10/Oct/2000:13:55:36 -0700` */
function accessTime(text: string): number | undefined {
  const m = /^(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(text);
  if (!m) return undefined;
  const [, d, mon, y, hh, mm, ss, sign, oh, om] = m;
  const month = MONTHS.indexOf(mon ?? '');
  if (month < 0) return undefined;
  const offset = (Number(oh) * 60 + Number(om)) * (sign === '-' ? -1 : 1);
  return Date.UTC(Number(y), month, Number(d), Number(hh), Number(mm), Number(ss)) - offset * 60_000;
}

/** RFC 3164 times have no year: the given year is used (the current one by default). */
function syslogTime(text: string, year: number): number | undefined {
  const m = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)$/.exec(text);
  const month = MONTHS.indexOf(m?.[1] ?? '');
  if (!m || month < 0) return undefined;
  return Date.UTC(year, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

function field(record: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) if (record[key] !== undefined) return record[key];
  return undefined;
}

function jsonLine(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  const r = record as Record<string, unknown>;
  const rawTime = field(r, 'time', 'timestamp', 'ts', '@timestamp', 'date', 't');
  let time: number | undefined;
  if (typeof rawTime === 'number') time = rawTime < 1e11 ? rawTime * 1000 : rawTime;
  else if (typeof rawTime === 'string') time = isoTime(rawTime);
  const err = r.err ?? r.error;
  const errMessage = typeof err === 'object' && err !== null ? (err as Record<string, unknown>).message : err;
  const message = field(r, 'msg', 'message', 'event') ?? errMessage ?? '';
  const level = levelOf(field(r, 'level', 'severity', 'lvl', 'log.level', 'levelname'));
  return { ...(time !== undefined && { time }), level, message: String(message) };
}

/** Parses one line in a known format; `undefined` when the line does not fit it. */
export function parseLine(format: LogFormat, line: string, year: number): LogLine | undefined {
  switch (format) {
    case 'jsonl':
      return jsonLine(line);
    case 'access': {
      const m = ACCESS.exec(line);
      if (!m) return undefined;
      const status = Number(m[5]);
      const time = accessTime(m[2] ?? '');
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      return {
        ...(time !== undefined && { time }),
        level,
        message: `${m[5]} ${m[3]} ${(m[4] ?? '').split('?')[0]}`,
      };
    }
    case 'syslog': {
      const modern = SYSLOG_5424.exec(line);
      if (modern) {
        const time = isoTime(modern[2] ?? '');
        const text = `${modern[3]}: ${modern[4]}`;
        const inText = levelInText(modern[4] ?? '');
        return {
          ...(time !== undefined && { time }),
          level: inText !== 'unknown' ? inText : syslogSeverity(Number(modern[1])),
          message: text,
        };
      }
      const m = SYSLOG_3164.exec(line);
      if (!m) return undefined;
      const time = syslogTime(m[2] ?? '', year);
      const fromText = levelInText(m[5] ?? '');
      const level =
        fromText !== 'unknown' ? fromText : m[1] !== undefined ? syslogSeverity(Number(m[1])) : 'unknown';
      return { ...(time !== undefined && { time }), level, message: `${m[4]}: ${m[5]}` };
    }
    case 'timestamped': {
      const m = TIMESTAMPED.exec(line);
      if (!m) return undefined;
      const time = isoTime(m[1] ?? '');
      const rest = m[2] ?? '';
      // The level word leads most such lines; the message (and so the signature) starts after it.
      const message = rest.replace(
        /^[[(]?(?:FATAL|CRITICAL|ERROR|ERR|WARN(?:ING)?|INFO|NOTICE|DEBUG|TRACE)[\])]?:?\s+/i,
        '',
      );
      return { ...(time !== undefined && { time }), level: levelInText(rest), message };
    }
    case 'plain':
      return { level: levelInText(line), message: line };
  }
}

const CANDIDATES: LogFormat[] = ['jsonl', 'access', 'syslog', 'timestamped'];

/** The format most of the sample lines parse as (`plain` when none reaches half of them). */
export function detectFormat(sample: string[], year: number): LogFormat {
  const lines = sample.filter((l) => l.trim() !== '');
  if (lines.length === 0) return 'plain';
  let best: LogFormat = 'plain';
  let bestCount = 0;
  for (const format of CANDIDATES) {
    const count = lines.filter((l) => parseLine(format, l, year) !== undefined).length;
    if (count > bestCount) {
      best = format;
      bestCount = count;
    }
  }
  return bestCount * 2 >= lines.length ? best : 'plain';
}
