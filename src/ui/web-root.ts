/**
 * The page's files: built at package build time (`scripts/build-ui.mjs`) into `dist/ui/web/` and served
 * from there. No network access at run time: no CDN, no external fonts.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';

/** The files of the page and their content types. Nothing else is served. */
export const WEB_FILES: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
};

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * Where the built page is, relative to this module: `dist/ui/web/` seen from `dist/cli/`, `dist/chunks/`
 * (bundled) or `src/ui/` (tests run from the sources against a built `dist/`).
 */
const CANDIDATES = ['../ui/web/', '../../dist/ui/web/'];

let root: URL | undefined;

async function webRoot(): Promise<URL> {
  if (root) return root;
  for (const candidate of CANDIDATES) {
    const url = new URL(candidate, import.meta.url);
    try {
      await readFile(new URL('index.html', url));
      root = url;
      return url;
    } catch {
      // not there: try the next one
    }
  }
  throw new Error(
    'The dashboard page is not built (dist/ui/web/index.html is missing): run `npm run build`.',
  );
}

/** A page file by URL path, or `undefined` for any other path. @throws when the page is not built. */
export async function webAsset(path: string): Promise<{ body: Buffer; type: string } | undefined> {
  const name = WEB_FILES[path];
  if (name === undefined) return undefined;
  const body = await readFile(new URL(name, await webRoot()));
  return { body, type: TYPES[name.split('.').pop() as string] ?? 'application/octet-stream' };
}
