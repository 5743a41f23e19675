import { type ServerProfile, STANDARD_LOCAL_PORTS } from '../index.js';
import { resolveCompat } from '../provider/index.js';
import { formatTokens } from './format.js';
import { serverName } from './server-name.js';

function yesNo(value: boolean | undefined): string {
  return value === undefined ? 'unknown (the server does not say)' : value ? 'yes' : 'no';
}

/** The model list of a report: ids with context windows and a mark for loaded models. */
export function modelLines(profile: ServerProfile): string[] {
  return profile.models.map((m) => {
    const facts = [
      m.loaded ? 'loaded' : undefined,
      m.contextWindow !== undefined ? `context ${formatTokens(m.contextWindow)}` : undefined,
      m.tools === true ? 'tools' : undefined,
      m.vision === true ? 'vision' : undefined,
    ].filter((f) => f !== undefined);
    return facts.length > 0 ? `${m.id}  (${facts.join(', ')})` : m.id;
  });
}

/** The readable `open-agent doctor` report for one probed server. */
export function doctorReport(profile: ServerProfile, others: string[]): string {
  const lines: string[] = [];
  const row = (label: string, value: string): number => lines.push(`${label.padEnd(11)}${value}`);
  row('Server', serverName(profile));
  row('Preset', profile.provider);
  row(
    'Models',
    profile.models.length === 0 ? 'none listed (pull or load one)' : String(profile.models.length),
  );
  for (const line of modelLines(profile)) lines.push(`  ${line}`);
  if (profile.model !== undefined) {
    const facts = profile.models.find((m) => m.id === profile.model);
    row('Model', profile.model);
    const max =
      facts?.maxContextWindow !== undefined
        ? ` (the model supports ${formatTokens(facts.maxContextWindow)})`
        : '';
    row(
      'Context',
      profile.contextWindow !== undefined ? `${formatTokens(profile.contextWindow)} tokens${max}` : 'unknown',
    );
    row('Tools', yesNo(profile.tools));
    row('Vision', yesNo(profile.vision));
    row('Reasoning', yesNo(profile.reasoning));
  }
  for (const hint of profile.chatTemplate?.hints ?? []) row('Template', hint);
  const compat = resolveCompat(
    { id: profile.model ?? '', api: 'openai-chat', provider: profile.provider, baseUrl: profile.baseUrl },
    profile.compat,
  );
  row(
    'Compat',
    Object.entries(compat)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', '),
  );
  if (others.length > 0) row('Also found', others.join(', '));
  if (profile.warnings.length === 0) lines.push('', 'No problems found.');
  else lines.push('', ...profile.warnings.map((w) => `warning: ${w}`));
  return `${lines.join('\n')}\n`;
}

/** What doctor says when no server answers on the local ports. */
export function nothingFoundReport(ports: number[]): string {
  const tried = ports.map((port) => {
    const known = STANDARD_LOCAL_PORTS.find((p) => p.port === port);
    return known ? `${port} (${known.server})` : String(port);
  });
  return [
    `No model server found on 127.0.0.1 ports ${tried.join(', ')}.`,
    'Start one:',
    '  Ollama      ollama serve, then ollama pull qwen3:8b',
    '  LM Studio   lms server start (or the Developer tab), then load a model',
    '  llama.cpp   llama-server -m model.gguf --jinja --port 8080',
    '  vLLM        vllm serve MODEL --port 8000',
    'or name a server: open-agent doctor --base-url http://HOST:PORT/v1',
    '',
  ].join('\n');
}
