import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';

/** Where a model URI points: the one URL fetched, and the file name it is cached under. */
export interface ModelSource {
  /** The URI as given. */
  uri: string;
  /** The URL downloaded (redirects from it are followed, as Hugging Face sends files from a CDN). */
  url: string;
  /** File name in the cache directory. */
  fileName: string;
}

const HF = /^hf:([\w.-]+)\/([\w.-]+)(?:@([\w./-]+?))?\/(.+\.gguf)$/i;

/** True when `value` looks like a model URI (`hf:…`, `https://…`, `http://…`) rather than a path. */
export function isModelUri(value: string): boolean {
  return /^(hf:|https?:\/\/)/i.test(value);
}

/**
 * Parses a model URI:
 * - `hf:OWNER/REPO/FILE.gguf` (or `hf:OWNER/REPO@REVISION/path/FILE.gguf`) →
 *   `https://huggingface.co/OWNER/REPO/resolve/REVISION/path/FILE.gguf` (revision `main` by default);
 * - an `https:` (or `http:`) URL, used as given.
 *
 * The cache file name is the URL's last path segment; for `hf:` URIs it is prefixed with
 * `OWNER_REPO_` so files of the same name from two repositories do not collide.
 * @throws {InvalidArgumentError} for anything else, or a URL whose last segment is not a `.gguf` file.
 */
export function parseModelUri(uri: string): ModelSource {
  const hf = HF.exec(uri);
  if (hf) {
    const [, owner, repo, revision, file] = hf as unknown as [
      string,
      string,
      string,
      string | undefined,
      string,
    ];
    const path = file.split('/').map(encodeURIComponent).join('/');
    const url = `https://huggingface.co/${owner}/${repo}/resolve/${encodeURIComponent(revision ?? 'main')}/${path}`;
    return { uri, url, fileName: `${owner}_${repo}_${file.split('/').at(-1)}` };
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidArgumentError(
      `Not a model URI: ${JSON.stringify(uri)}. Use hf:OWNER/REPO/FILE.gguf or an https:// URL of a .gguf file.`,
      { argument: 'uri' },
    );
  }
  const fileName = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !/^[^/\\]+\.gguf$/i.test(fileName))
    throw new InvalidArgumentError(
      `Not a model URI: ${JSON.stringify(uri)}. Use hf:OWNER/REPO/FILE.gguf or an https:// URL ending in .gguf.`,
      { argument: 'uri' },
    );
  return { uri, url: url.href, fileName };
}
