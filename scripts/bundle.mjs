// Bundles src/ into dist/ with rolldown: one file per public entry plus shared chunks, so a cold
// `import('open-agent-sdk')` reads a handful of files instead of a hundred modules. Declarations come from
// `tsc --emitDeclarationOnly` (see the `build` script). Dependencies and Node built-ins stay external.
// tsdown (named in CONVENTIONS.md) wraps this same bundler; it cannot be installed from this registry.
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { build } from 'rolldown';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const packages = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies });
const external = (id) =>
  id.startsWith('node:') || packages.some((name) => id === name || id.startsWith(`${name}/`));

const input = {
  index: 'src/index.ts',
  'node/index': 'src/node/index.ts',
  'provider/index': 'src/provider/index.ts',
  'testing/index': 'src/testing/index.ts',
  'mcp/index': 'src/mcp/index.ts',
  'sessions/redis/index': 'src/sessions/redis/index.ts',
  'engines/llama-cpp/index': 'src/engines/llama-cpp/index.ts',
  'queue/index': 'src/queue/index.ts',
  'tracing/index': 'src/tracing/index.ts',
  'audio/index': 'src/audio/index.ts',
  'realtime/index': 'src/realtime/index.ts',
  'images/generate': 'src/images/generate.ts',
  'cli/main': 'src/cli/main.ts',
};
/**
 * Every source module `import('open-agent-sdk')` reaches (static imports from src/index.ts), found by a scan of
 * the import statements: they go into one chunk, so the root import reads one file of ours instead of
 * dozens (each module costs the ESM loader a resolve, a stat and a read).
 */
function rootGraph() {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
      if (/^import\s+type\s/.test(match[0]) || /^export\s+type\s/.test(match[0])) continue;
      visit(resolvePath(dirname(file), match[1].replace(/\.js$/, '.ts')));
    }
  };
  visit(resolvePath('src/index.ts'));
  return seen;
}
const root = rootGraph();

const common = {
  platform: 'neutral',
  external,
  resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
  transform: { target: 'es2022' },
  treeshake: true,
};

await build({
  ...common,
  input,
  output: {
    dir: 'dist',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
    codeSplitting: { groups: [{ name: 'core', test: (id) => root.has(id) }] },
    // TSDoc lives in the .d.ts files (tsc) and the source maps point at the sources: the JS does not
    // carry it, which halves what `import('open-agent-sdk')` parses.
    comments: { legal: true, annotation: true, jsdoc: false },
  },
});

// CommonJS for `require('open-agent-sdk')` and every subpath: each library entry above also becomes
// `dist/<entry>.cjs` (package.json maps the `require` condition to it). The CLI is ESM only.
const libraryInput = Object.fromEntries(Object.entries(input).filter(([name]) => !name.startsWith('cli/')));
await build({
  ...common,
  input: libraryInput,
  output: {
    dir: 'dist',
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: 'chunks/[name]-[hash].cjs',
    sourcemap: true,
    comments: { legal: true, annotation: true, jsdoc: false },
  },
});

// The dashboard page (open-agent ui).
await import('./build-ui.mjs');
