import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { runCli } from '../cli/cli.js';
import { type Behaviour, imitate } from './imitations.js';

const VALID = { city: 'Paris', population: 2_100_000 };
let servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function server(behaviour: Behaviour): Promise<FixtureServer> {
  const s = await startFixtureServer({ responses: imitate(behaviour, { valid: VALID }) });
  servers.push(s);
  return s;
}

describe('open-agent doctor --structured', () => {
  it('reports "ignored" for a fail-open server and "enforced" for one that honours json_schema', async () => {
    const open = await server('fail-open');
    const failing = await runCli(['doctor', '--base-url', open.baseUrl, '--structured']);
    expect(failing.code).toBe(0);
    expect(failing.stdout).toContain('structured output json_schema: ignored');
    const honest = await server('honours-json-schema');
    const json = await runCli(['doctor', '--base-url', honest.baseUrl, '--structured', '--output', 'json']);
    const profile = JSON.parse(json.stdout) as { structured?: { verdicts: Record<string, string> } };
    expect(profile.structured?.verdicts).toEqual({ json_schema: 'enforced' });
  });
});

describe('open-agent run --schema', () => {
  it('prints the validated answer as `output` in --output json', async () => {
    const s = await server('honours-json-schema');
    const dir = mkdtempSync(join(tmpdir(), 'oa-schema-'));
    const file = join(dir, 'city.json');
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    writeFileSync(file, JSON.stringify(schema));
    const result = await runCli([
      'run',
      '--base-url',
      s.baseUrl,
      '--model',
      'm1',
      '--schema',
      file,
      '--output',
      'json',
      'Biggest city?',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).output).toEqual(VALID);
    const body = s.requests.find((r) => r.method === 'POST')?.json as { response_format?: unknown };
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { schema } });
  });
});
