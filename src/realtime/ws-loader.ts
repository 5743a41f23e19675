/**
 * Loads the optional `ws` package (Node 20 has no global `WebSocket` without a flag). Imported on first
 * use only, so the SDK does not depend on it.
 *
 * @module
 */

import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** The part of a `ws` WebSocket the realtime session uses. */
export interface WsSocket {
  readonly readyState: number;
  send(data: string, callback?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'open', listener: () => void): this;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number, reason: unknown) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(
    event: 'unexpected-response',
    listener: (
      request: unknown,
      response: { statusCode?: number; statusMessage?: string; resume(): void },
    ) => void,
  ): this;
  removeAllListeners(): this;
}

/** The `ws` WebSocket constructor, as used here. */
export type WsConstructor = new (
  url: string,
  options: { headers?: Record<string, string>; handshakeTimeout?: number; followRedirects?: boolean },
) => WsSocket;

// A variable, not a literal: bundlers leave `import(variable)` alone, and ws is optional.
const WS: string = 'ws';
let loading: Promise<WsConstructor> | undefined;

/**
 * The `ws` WebSocket class.
 * @throws {InvalidArgumentError} naming the install command when `ws` is not installed.
 */
export function loadWebSocket(): Promise<WsConstructor> {
  loading ??= (import(WS) as Promise<{ WebSocket?: WsConstructor; default?: WsConstructor }>).then(
    (module) => {
      const ctor = module.WebSocket ?? module.default;
      if (!ctor) throw new Error('the "ws" module has no WebSocket export');
      return ctor;
    },
    (error: unknown) => {
      loading = undefined;
      throw new InvalidArgumentError(
        'Realtime sessions need the optional "ws" package, which is not installed: run `npm install ws` (version 8 or later).',
        { argument: 'ws', cause: error },
      );
    },
  );
  return loading;
}
