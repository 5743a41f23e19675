// Bundles src/ into dist/ with rolldown: one file per public entry plus shared chunks, so a cold
// `import('open-agent-sdk')` reads a handful of files instead of a hundred modules. Declarations come from
// `tsc --emitDeclarationOnly` (see the `build` script). Dependencies and Node built-ins stay external.
// tsdown (named in CONVENTIONS.md) wraps this same bundler; it cannot be installed from this registry.
import { readFileSync } from 'node:fs';
import { build } from 'rolldown';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const packages = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies });
const external = (id) =>
  id.startsWith('node:') || packages.some((name) => id === name || id.startsWith(`${name}/`));

await build({
  input: {
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
  },
  platform: 'neutral',
  external,
  resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
  transform: { target: 'es2022' },
  treeshake: true,
  output: {
    dir: 'dist',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
});
