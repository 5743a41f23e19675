/**
 * Lazy import of `bullmq` (an optional peer dependency of `open-agent-sdk/queue`), and the connection
 * options handed to it.
 */
import { QueueError } from './queue-error.js';

/** The `bullmq` module, typed from the package when it is installed. */
export type BullMq = typeof import('bullmq');

/**
 * Where Redis is: a `redis://` / `rediss://` URL, or `ioredis` options (`host`, `port`, `password`, `tls`,
 * `db`, ...). Passwords stay in the process: jobs, events and errors never hold them.
 */
export type QueueConnection = string | { host?: string; port?: number; [option: string]: unknown };

let loading: Promise<BullMq> | undefined;

/**
 * Imports `bullmq` once.
 * @throws {QueueError} `code: 'ERR_MODULE_NOT_FOUND'` naming `npm install bullmq ioredis` when missing.
 */
export function loadBullMq(): Promise<BullMq> {
  loading ??= import('bullmq').catch((error: unknown) => {
    loading = undefined;
    throw new QueueError(
      'open-agent-sdk/queue needs the bullmq package (and ioredis): run `npm install bullmq ioredis`.',
      { code: 'ERR_MODULE_NOT_FOUND', cause: error },
    );
  });
  return loading;
}

/** BullMQ's `connection` option for a URL or options (BullMQ makes its own ioredis clients from it). */
export function bullConnection(connection: QueueConnection): Record<string, unknown> {
  return typeof connection === 'string' ? { url: connection } : { ...connection };
}

/** Secrets of a connection (the URL's password, or `password`), to keep out of error messages. */
export function connectionSecrets(connection: QueueConnection): string[] {
  if (typeof connection !== 'string')
    return typeof connection.password === 'string' ? [connection.password] : [];
  try {
    const url = new URL(connection);
    return [url.password, decodeURIComponent(url.password)].filter((s) => s.length > 0);
  } catch {
    return [];
  }
}

/** Removes `scheme://user:pass@` parts and the given secrets from a message. */
export function scrubSecrets(message: string, secrets: readonly string[]): string {
  let clean = message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, '$1***@');
  for (const secret of secrets) if (secret.length >= 3) clean = clean.split(secret).join('***');
  return clean;
}
