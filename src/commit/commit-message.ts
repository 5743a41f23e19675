/** Conventional Commits types accepted in the header. */
export const COMMIT_TYPES = [
  'feat',
  'fix',
  'docs',
  'style',
  'refactor',
  'perf',
  'test',
  'build',
  'ci',
  'chore',
  'revert',
] as const;

/** Longest subject line, in characters. */
export const MAX_SUBJECT_CHARS = 72;

const HEADER = new RegExp(`^(${COMMIT_TYPES.join('|')})(?:\\(([\\w$.\\-/ ,]+)\\))?(!)?: (\\S.*)$`);

/** A parsed Conventional Commits message. */
export interface CommitMessage {
  /** The whole message: header, blank line, body. */
  message: string;
  type: string;
  scope?: string;
  breaking: boolean;
  /** The header line (`type(scope): subject`). */
  header: string;
  subject: string;
  body: string;
}

/**
 * Cleans what a model answered into a commit message: drops reasoning (`<think>…</think>`), code fences,
 * a leading "Commit message:" label and surrounding blank lines, and wraps nothing.
 */
export function cleanMessage(text: string): string {
  let message = text.replace(/<think>[\s\S]*?<\/think>/g, '').trim();
  const fenced = /^```[\w-]*\n([\s\S]*?)\n```$/m.exec(message);
  if (fenced?.[1] !== undefined) message = fenced[1];
  message = message.replace(/^(?:\*\*)?commit message:?(?:\*\*)?\s*\n?/i, '');
  const lines = message.split('\n').map((line) => line.trimEnd());
  // One blank line between header and body.
  if (lines.length > 1 && lines[1] !== '') lines.splice(1, 0, '');
  return lines.join('\n').trim();
}

/**
 * Parses and checks a commit message.
 *
 * @returns the parts, or a problem the model can fix (wrong header form, subject too long).
 */
export function parseCommitMessage(
  text: string,
): { ok: true; value: CommitMessage } | { ok: false; problem: string } {
  const message = cleanMessage(text);
  const [header = '', ...rest] = message.split('\n');
  const match = HEADER.exec(header);
  if (!match) {
    return {
      ok: false,
      problem: `The first line ${JSON.stringify(header.slice(0, 100))} is not a Conventional Commits header: write "type(scope): subject" with type one of ${COMMIT_TYPES.join(', ')}.`,
    };
  }
  if (header.length > MAX_SUBJECT_CHARS) {
    return {
      ok: false,
      problem: `The first line has ${header.length} characters; keep it within ${MAX_SUBJECT_CHARS}.`,
    };
  }
  const [, type = '', scope, bang, subject = ''] = match;
  return {
    ok: true,
    value: {
      message,
      type,
      ...(scope !== undefined && { scope }),
      breaking: bang === '!' || /^BREAKING[ -]CHANGE:/m.test(rest.join('\n')),
      header,
      subject,
      body: rest.join('\n').trim(),
    },
  };
}
