import { readFileSync } from 'node:fs';

/**
 * The package version, read from the nearest `package.json` named `open-agent-sdk` above this file (the
 * file may be `src/cli/version.ts`, or bundled into `dist/cli/` or `dist/chunks/`). Returns `'unknown'`
 * when none can be read.
 */
export function packageVersion(): string {
  for (const up of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const json: unknown = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8'));
      if (typeof json !== 'object' || json === null || !('name' in json) || json.name !== 'open-agent-sdk')
        continue;
      if ('version' in json && typeof json.version === 'string') return json.version;
    } catch {
      // not there: look one level up; a broken install still runs
    }
  }
  return 'unknown';
}
