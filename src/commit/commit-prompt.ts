import type { CommitContext } from './commit-context.js';
import { COMMIT_TYPES, MAX_SUBJECT_CHARS } from './commit-message.js';

/** The commit writer's system prompt. */
export const COMMIT_SYSTEM_PROMPT = `You write git commit messages in the Conventional Commits format.

Format:
type(scope): subject

body

- type is one of: ${COMMIT_TYPES.join(', ')}. The scope is optional: a short name of the area changed.
- The first line is at most ${MAX_SUBJECT_CHARS} characters, in the imperative mood ("add", not "added"), without a final period.
- The body explains what changed and why, wrapped at about 72 characters. Omit it only for trivial changes.
- Mark breaking changes with "!" after the type/scope and a "BREAKING CHANGE:" line in the body.

You can read files of the repository with the tools (read_file, list_directory, search_files) when the diff
alone does not tell you what a change is for. Do not guess at intent you could look up.

Answer with the commit message only: no preamble, no code fences, no explanation.`;

/** The user message: status, recent subjects for style, and the (fitted) diff. */
export function commitPrompt(context: CommitContext, diff: string, amend: boolean): string {
  const parts = [
    amend
      ? 'Write a new message for the last commit (it is being amended). Its current message:\n' +
        `${context.previousMessage ?? ''}\n\nThe changes of the amended commit:`
      : 'Write the commit message for the staged changes.',
    `git status --short:\n${context.status || '(clean)'}`,
    context.log
      ? `Recent commit subjects (match their style and scopes):\n${context.log}`
      : 'This is the first commit of the repository.',
    `The diff:\n${diff}`,
  ];
  return parts.join('\n\n');
}
