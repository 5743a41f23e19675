/**
 * `open-agent worker`, `open-agent enqueue` and `open-agent queue status|approve|reject`: the run queue
 * (`open-agent-sdk/queue`, BullMQ on Redis) from the command line. The queue module is imported on use, so
 * other commands do not load it.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import type { AgentResolver } from '../agent/run-state.js';
import { UsageError } from './usage-error.js';

interface RedisFlags {
  redis?: string;
  queue?: string;
}

const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

function redisOf(flags: RedisFlags): string {
  const url = flags.redis ?? process.env.REDIS_URL;
  if (!url) throw new UsageError('--redis URL (or REDIS_URL) is required');
  return url;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`expected an integer ≥ 1, got ${value}`);
  return n;
}

function withRedis(command: Command): Command {
  return command
    .option('--redis <url>', 'Redis URL (default: $REDIS_URL)')
    .option('--queue <name>', 'queue name', 'open-agent-runs');
}

/** Agent definitions from an ES module: its default export (array, record or one) or its named exports. */
async function loadAgents(file: string): Promise<AgentResolver> {
  const mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  const list = Object.values(mod.default !== undefined ? { default: mod.default } : mod).flatMap((v) =>
    Array.isArray(v) ? v : v && typeof v === 'object' && !('kind' in v) ? Object.values(v) : [v],
  );
  const agents = list.filter((a) => (a as { kind?: unknown } | null)?.kind === 'agent_definition');
  if (agents.length === 0) throw new UsageError(`${file} exports no agent definitions (defineAgent)`);
  return agents as unknown as AgentResolver;
}

function workerCommand(): Command {
  return withRedis(new Command('worker'))
    .description('run queued agent runs (open-agent-sdk/queue) until SIGINT/SIGTERM')
    .requiredOption('--agents <file>', 'ES module exporting the agent definitions (defineAgent)')
    .option('--concurrency <n>', 'runs at once', positive, 1)
    .option('--origin-limit <n>', 'most concurrent model requests per origin across all workers', positive)
    .option('--api-key-env <name>', 'environment variable holding the API key (stays in this process)')
    .action(
      async (
        flags: RedisFlags & { agents: string; concurrency: number; originLimit?: number; apiKeyEnv?: string },
      ) => {
        const url = redisOf(flags);
        const [{ createRunWorker }, { RedisStore }] = await Promise.all([
          import('../queue/index.js'),
          import('../sessions/redis/index.js'),
        ]);
        const apiKey = flags.apiKeyEnv ? process.env[flags.apiKeyEnv] : undefined;
        const store = new RedisStore({ connection: url });
        const worker = createRunWorker({
          connection: url,
          ...(flags.queue !== undefined && { name: flags.queue }),
          agents: await loadAgents(flags.agents),
          store,
          concurrency: flags.concurrency,
          ...(flags.originLimit !== undefined && { originLimits: { '*': flags.originLimit } }),
          ...(apiKey !== undefined && { streamOptions: { apiKey } }),
        });
        await worker.ready();
        process.stderr.write(`worker ready (concurrency ${flags.concurrency})\n`);
        await new Promise<void>((done) => {
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        await worker.close();
        await store.close();
      },
    );
}

function enqueueCommand(): Command {
  return withRedis(new Command('enqueue'))
    .description('queue an agent run; prints {jobId, runId, sessionId} (with --wait, the result)')
    .argument('<prompt>', 'the prompt')
    .requiredOption('--agent <name>', 'agent name (as the workers define it)')
    .option('--session <id>', 'session to continue')
    .option('--job-id <id>', 'job id (a repeated id is deduplicated)')
    .option('--wait', 'wait for the result and print it')
    .action(
      async (
        prompt: string,
        flags: RedisFlags & { agent: string; session?: string; jobId?: string; wait?: boolean },
      ) => {
        const { createRunQueue } = await import('../queue/index.js');
        const queue = createRunQueue({
          connection: redisOf(flags),
          ...(flags.queue !== undefined && { name: flags.queue }),
        });
        try {
          const handle = await queue.enqueue(flags.agent, prompt, {
            ...(flags.session !== undefined && { session: flags.session }),
            ...(flags.jobId !== undefined && { jobId: flags.jobId }),
          });
          print({ jobId: handle.jobId, runId: handle.runId, sessionId: handle.sessionId });
          if (flags.wait) print(await handle.result());
        } finally {
          await queue.close();
        }
      },
    );
}

function queueCommand(): Command {
  const queue = new Command('queue').description('inspect the run queue and decide parked approvals');
  const open = async (flags: RedisFlags) => {
    const { createRunQueue } = await import('../queue/index.js');
    return createRunQueue({
      connection: redisOf(flags),
      ...(flags.queue !== undefined && { name: flags.queue }),
    });
  };
  queue.addCommand(
    withRedis(new Command('status'))
      .description('job counts by state')
      .action(async (flags: RedisFlags) => {
        const q = await open(flags);
        try {
          print(await q.counts());
        } finally {
          await q.close();
        }
      }),
  );
  for (const verb of ['approve', 'reject'] as const) {
    queue.addCommand(
      withRedis(new Command(verb))
        .description(`${verb} a parked tool call; prints the continuation's {jobId}`)
        .argument('<jobId>', 'the parked job')
        .argument('<callId>', 'the tool call id')
        .action(async (jobId: string, callId: string, flags: RedisFlags) => {
          const q = await open(flags);
          try {
            const handle =
              verb === 'approve' ? await q.approve(jobId, callId) : await q.reject(jobId, callId);
            print({ jobId: handle.jobId, runId: handle.runId });
          } finally {
            await q.close();
          }
        }),
    );
  }
  return queue;
}

/** The queue commands, for `open-agent`'s program. */
export function createQueueCommands(): Command[] {
  return [workerCommand(), enqueueCommand(), queueCommand()];
}
