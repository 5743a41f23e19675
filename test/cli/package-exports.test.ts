import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  scripts: Record<string, string>;
};

describe('package.json exports', () => {
  it('maps every ESM entry to a CommonJS build under the require condition, and both files exist', () => {
    const entries = Object.entries(pkg.exports).filter(
      (e): e is [string, Record<string, string>] => typeof e[1] === 'object',
    );
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const [subpath, conditions] of entries) {
      expect(conditions.require, subpath).toBe(conditions.import?.replace(/\.js$/, '.cjs'));
      expect(existsSync(`${ROOT}${conditions.import}`), `${subpath} import`).toBe(true);
      expect(existsSync(`${ROOT}${conditions.require}`), `${subpath} require`).toBe(true);
    }
  });

  it('builds in prepack, not prepare (installers run no build script)', () => {
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.prepack).toBe('npm run build');
  });
});
