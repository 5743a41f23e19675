import picomatch from 'picomatch';

/**
 * Turns a glob into a regular expression over `/`-separated relative paths, with the maintained matcher
 * `picomatch` (bash glob semantics): `*` matches within one path segment, `**` across segments, `?` one
 * character, `{a,b}` alternatives, character classes `[abc]`, `[a-z]`, `[!a]` / `[^a]` and POSIX classes
 * such as `[[:digit:]]`. Dot files match like other files. A glob without `/` matches the file name in any
 * directory (`*.ts` finds `src/a.ts`), as in ripgrep's `--glob`.
 *
 * Source: picomatch 4 (`makeRe` with `dot` and `posix`); bash "Pattern Matching".
 */
export function globToRegExp(glob: string): RegExp {
  return picomatch.makeRe(glob.includes('/') ? glob : `**/${glob}`, { dot: true, posix: true });
}
