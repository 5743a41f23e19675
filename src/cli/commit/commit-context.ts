import type { CommitContext } from '../../commit/commit-context.js';
import { UsageError } from '../usage-error.js';
import { git } from './git.js';

export type { CommitContext };

/**
 * Reads the repository: refuses clearly when `cwd` is not in a git work tree, when nothing is staged (or,
 * for `amend`, when there is no commit to amend).
 *
 * @throws {UsageError} with what to do instead.
 */
export async function readCommitContext(cwd: string, amend: boolean): Promise<CommitContext> {
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (top.code !== 0) {
    throw new UsageError(
      `${cwd} is not inside a git repository: run open-agent commit in a repository (or pass --cwd DIR), or create one with \`git init\``,
    );
  }
  const root = top.stdout.trim();
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], root);
  const hasHead = head.code === 0;
  if (amend && !hasHead)
    throw new UsageError('there is no commit to amend yet: commit first, then use --amend');
  const staged = await git(['diff', '--cached', '--quiet'], root);
  if (!amend && staged.code === 0) {
    throw new UsageError(
      'nothing is staged: stage changes with `git add FILE` (or `git add -p`), then run open-agent commit again',
    );
  }
  const parent = await git(['rev-parse', '--verify', '--quiet', 'HEAD~1'], root);
  const diffArgs = amend
    ? parent.code === 0
      ? ['diff', '--cached', 'HEAD~1']
      : ['diff', '--cached', '--root', 'HEAD']
    : ['diff', '--cached'];
  const [status, log, diff, previous] = await Promise.all([
    git(['status', '--short'], root),
    hasHead
      ? git(['log', '--format=%s', '-n', '10'], root)
      : Promise.resolve({ code: 0, stdout: '', stderr: '' }),
    amend && parent.code !== 0
      ? git(['show', '--format=', 'HEAD'], root)
      : git([...diffArgs, '--no-color', '--no-ext-diff'], root),
    amend ? git(['log', '-1', '--format=%B'], root) : Promise.resolve(undefined),
  ]);
  if (diff.code !== 0) throw new Error(`git diff failed: ${diff.stderr.trim()}`);
  return {
    root,
    status: status.stdout.trimEnd(),
    log: log.stdout.trimEnd(),
    diff: diff.stdout,
    ...(previous !== undefined && { previousMessage: previous.stdout.trim() }),
  };
}
