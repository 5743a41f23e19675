import { Command } from 'commander';
import { EXIT_CODES } from './exit-codes.js';
import type { OutputSink } from './output.js';
import { UsageError } from './usage-error.js';

/** The engine module, imported only by the commands that need it (it loads no native code itself). */
const engineModule = () => import('../engines/llama-cpp/index.js');

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

/**
 * Pulls a model URI into the cache directory, drawing a progress line on stderr when it is a terminal
 * (a single summary line otherwise).
 * @returns the local path.
 * @throws {UsageError} for a URI that is not a model URI; `ModelDownloadError` for a failed download.
 */
export async function pullWithProgress(
  uri: string,
  options: { sha256?: string; size?: number; dir?: string; stream?: NodeJS.WriteStream } = {},
): Promise<string> {
  const engine = await engineModule();
  const stream = options.stream ?? process.stderr;
  try {
    engine.parseModelUri(uri);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  let last = 0;
  const pulled = await engine.pullModel(uri, {
    ...(options.sha256 !== undefined && { sha256: options.sha256 }),
    ...(options.size !== undefined && { size: options.size }),
    ...(options.dir !== undefined && { dir: options.dir }),
    onProgress: ({ bytes, total }) => {
      const now = Date.now();
      if (!stream.isTTY || (now - last < 100 && bytes !== total)) return;
      last = now;
      const percent = total ? ` ${Math.floor((bytes / total) * 100)}%` : '';
      stream.write(
        `\r\x1b[2Kpulling ${uri}${percent} ${megabytes(bytes)}${total ? ` / ${megabytes(total)}` : ''}`,
      );
    },
  });
  if (stream.isTTY) stream.write('\r\x1b[2K');
  const how = pulled.cached
    ? 'already cached'
    : pulled.resumedFrom > 0
      ? `resumed at ${megabytes(pulled.resumedFrom)}`
      : 'downloaded';
  stream.write(`${how}: ${pulled.path} (${megabytes(pulled.size)}, sha256 ${pulled.sha256})\n`);
  return pulled.path;
}

/** `open-agent models --local`: the GGUF files in the cache directory, as text lines or JSON. */
export async function printLocalModels(
  output: 'text' | 'json',
  stdout: OutputSink,
  stderr: OutputSink,
): Promise<number> {
  const engine = await engineModule();
  const dir = engine.modelsDir();
  const models = await engine.listLocalModels(dir);
  if (output === 'json') {
    stdout.write(`${JSON.stringify({ dir, models }, null, 2)}\n`);
    return 0;
  }
  for (const m of models) stdout.write(`${m.path}\t${megabytes(m.size)}${m.uri ? `\t${m.uri}` : ''}\n`);
  if (models.length === 0)
    stderr.write(`No models in ${dir}; pull one with: open-agent pull hf:OWNER/REPO/FILE.gguf\n`);
  return 0;
}

interface PullFlags {
  sha256?: string;
  size?: string;
  dir?: string;
}

function sizeFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const size = Number(value);
  if (!Number.isSafeInteger(size) || size <= 0)
    throw new UsageError(`--size must be a positive integer (bytes), got ${JSON.stringify(value)}`);
  return size;
}

async function pull(uri: string, flags: PullFlags): Promise<number> {
  const engine = await engineModule();
  try {
    if (flags.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(flags.sha256))
      throw new UsageError('--sha256 must be 64 hexadecimal digits');
    const size = sizeFlag(flags.size);
    const path = await pullWithProgress(uri, {
      ...(flags.sha256 !== undefined && { sha256: flags.sha256 }),
      ...(size !== undefined && { size }),
      ...(flags.dir !== undefined && { dir: flags.dir }),
    });
    process.stdout.write(`${path}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    if (!engine.ModelDownloadError.isInstance(error)) throw error;
    process.stderr.write(`\nerror: ${error.message}\n`);
    return EXIT_CODES.error;
  }
}

/**
 * The `pull` command: downloads a GGUF model (`hf:OWNER/REPO/FILE.gguf` or an https URL) into the cache
 * directory (env `OPEN_AGENT_MODELS_DIR`, else `$XDG_DATA_HOME/open-agent/models`), resuming an
 * interrupted download. Prints the local path on stdout.
 */
export function createPullCommand(): Command {
  return new Command('pull')
    .description('download a GGUF model for the embedded engine (resumable; checks size and sha256)')
    .argument(
      '<uri>',
      'hf:OWNER/REPO/FILE.gguf, hf:OWNER/REPO@REVISION/FILE.gguf, or an https:// URL of a .gguf file',
    )
    .option('--sha256 <hex>', 'expected SHA-256 of the file; a mismatch deletes the download')
    .option('--size <bytes>', 'expected size of the file in bytes')
    .option(
      '--dir <dir>',
      'cache directory (env: OPEN_AGENT_MODELS_DIR; default: $XDG_DATA_HOME/open-agent/models)',
    )
    .action(async (uri: string, flags: PullFlags) => {
      process.exitCode = await pull(uri, flags);
    });
}
