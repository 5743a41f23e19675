import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Static imports (`import … from`, `export … from`) of a source file, resolved to `.ts` paths. */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms)]
    .filter((m) => !/^import\s+type\s/.test(m[0]) && !/^export\s+type\s/.test(m[0]))
    .map((m) => m[1] as string);
  return specifiers.map((s) => (s.startsWith('.') ? join(dirname(file), s).replace(/\.js$/, '.ts') : s));
}

/** Every module a file loads at import time (dynamic `import()` excluded: it loads on use). */
function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.endsWith('.ts')) stack.push(...staticImports(file));
  }
  return seen;
}

describe('the embedded engine stays optional', () => {
  for (const entry of ['src/index.ts', 'src/node/index.ts', 'src/testing/index.ts', 'src/cli/main.ts']) {
    it(`${entry} loads neither node-llama-cpp nor the engine at import time`, () => {
      const loaded = [...closure(join(ROOT, entry))];
      expect(loaded.length).toBeGreaterThan(3);
      expect(loaded.filter((m) => m === 'node-llama-cpp' || m.startsWith('node-llama-cpp/'))).toEqual([]);
      expect(loaded.filter((m) => m.includes('/src/engines/'))).toEqual([]);
    });
  }

  /** Imports a built file in a fresh node with a resolve hook; returns what it reported on stderr. */
  function importTrace(file: string): string {
    const entry = join(ROOT, file);
    if (!existsSync(entry)) throw new Error(`${file} is missing: run \`npm run build\` before this test`);
    const hook = `export async function resolve(s, c, n) { if (s.includes('node-llama-cpp') || s.includes('/engines/')) process.stderr.write('RESOLVED ' + s + '\\n'); return n(s, c); }`;
    const script = [
      "import { register } from 'node:module';",
      `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`,
      `await import(${JSON.stringify(new URL(`file://${entry}`).href)});`,
      "process.stderr.write('IMPORTED\\n');",
    ].join('\n');
    return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).stderr;
  }

  it('importing the built dist/index.js resolves no node-llama-cpp or engine module (resolve hook)', () => {
    expect(importTrace('dist/index.js')).toBe('IMPORTED\n');
    // The hook does see the engine entry, and that entry does not resolve node-llama-cpp either.
    const engine = importTrace('dist/engines/llama-cpp/index.js');
    expect(engine).toMatch(/^RESOLVED .*engines\/llama-cpp\/index\.js\nIMPORTED\n$/);
  });

  it('open-agent-sdk/llama-cpp imports node-llama-cpp only lazily', () => {
    const loaded = [...closure(join(ROOT, 'src/engines/llama-cpp/index.ts'))];
    expect(loaded.some((m) => m.endsWith('/src/engines/llama-cpp/source.ts'))).toBe(true);
    expect(loaded.filter((m) => m.startsWith('node-llama-cpp'))).toEqual([]);
  });

  it('package.json: optional peer, pinned dev dependency, subpath export, GPU packages overridden', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies['node-llama-cpp']).toBeUndefined();
    expect(pkg.peerDependenciesMeta['node-llama-cpp']).toEqual({ optional: true });
    expect(pkg.devDependencies['node-llama-cpp']).toBe('3.21.1');
    expect(pkg.exports['./llama-cpp']).toEqual({
      types: './dist/engines/llama-cpp/index.d.ts',
      import: './dist/engines/llama-cpp/index.js',
      require: './dist/engines/llama-cpp/index.cjs',
    });
    for (const name of [
      'linux-x64-cuda',
      'linux-x64-cuda-ext',
      'linux-x64-vulkan',
      'linux-arm64',
      'linux-armv7l',
    ])
      expect(pkg.overrides[`@node-llama-cpp/${name}`]).toBe('file:./scripts/empty-pkg');
  });
});
