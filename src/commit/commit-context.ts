/** What the commit writer knows about the repository before asking the model. */
export interface CommitContext {
  /** Top-level directory of the work tree (the tools' root). */
  root: string;
  /** `git status --short`. */
  status: string;
  /** Recent subjects (`git log --oneline -n 10`), for style; empty in a new repository. */
  log: string;
  /** The staged diff (for --amend: the last commit plus what is staged). */
  diff: string;
  /** The message being replaced (--amend). */
  previousMessage?: string;
}
