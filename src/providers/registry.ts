import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Preset } from '../presets/preset.js';
import { PresetTable } from '../presets/preset-table.js';
import { GLOBAL_PRESETS } from '../presets/presets.js';
import type { AssistantStream } from '../stream/assistant-stream.js';
import type { Context } from '../types/context.js';
import type { Api } from '../types/message.js';
import type { Model } from '../types/model.js';
import type { StreamOptions } from '../types/options.js';
import { anthropicMessagesProvider } from './anthropic-messages/index.js';
import { isDefinedProvider, type Provider, type StreamFunction } from './define.js';
import { ollamaChatProvider } from './ollama-chat/index.js';
import { openAIChatProvider } from './openai-chat/index.js';
import { openAIResponsesProvider } from './openai-responses/index.js';
import { failedStream } from './shared/run-stream.js';

export type { StreamFunction } from './define.js';

/** What a registry holds per API: a defined provider, or a bare stream function. */
type Entry = Provider<object> | StreamFunction;

/**
 * Providers and presets, looked up by `model.api` and `model.provider`. The global registry (used by
 * `stream()`, `Agent`, the CLI) holds the built-in providers and presets; {@link createRegistry} makes a
 * scoped one whose additions stay inside it (a plugin's provider does not leak to every agent).
 */
export interface Registry {
  /**
   * Registers (or replaces) the provider of a wire protocol: a {@link defineProvider} result (its API is
   * its own), or `(api, streamFunction)`.
   */
  registerProvider(provider: Provider<object>): void;
  registerProvider(api: Api, stream: StreamFunction): void;
  /**
   * The stream function for a wire protocol (a defined provider resolves presets in this registry).
   * @throws {InvalidArgumentError} when none is registered, naming the registered APIs.
   */
  getProvider(api: Api): StreamFunction;
  /** The APIs this registry answers for (its own and its parent's). */
  apis(): Api[];
  /**
   * Adds (or replaces) a preset in this registry only.
   * @throws {InvalidArgumentError} when the name is empty or the base URL does not parse.
   */
  registerPreset(preset: Preset): void;
  /** The preset of that name (case-insensitive): this registry's, then the global table's. */
  getPreset(name: string): Preset | undefined;
  /** This registry's preset table (pass it to `provider.resolveCompat(model, probed, presets)`). */
  readonly presets: PresetTable;
  /**
   * Streams one call with the provider of `model.api` in this registry. Never throws: an unknown API ends
   * in `start` + `error` like any other failure.
   */
  stream(model: Model, context: Context, options?: StreamOptions): AssistantStream;
}

class ProviderRegistry implements Registry {
  readonly #own = new Map<Api, Entry>();
  readonly #parent: ProviderRegistry | undefined;
  readonly presets: PresetTable;
  /** Stream functions of defined providers bound to this registry's presets, made once per provider. */
  readonly #bound = new WeakMap<Provider<object>, StreamFunction>();

  constructor(parent: ProviderRegistry | undefined, presets: PresetTable) {
    this.#parent = parent;
    this.presets = presets;
  }

  registerProvider(provider: Provider<object> | Api, stream?: StreamFunction): void {
    if (typeof provider === 'string') {
      if (typeof stream !== 'function') {
        throw new InvalidArgumentError(
          `registerProvider("${provider}", stream): stream must be a function.`,
          {
            argument: 'stream',
          },
        );
      }
      this.#own.set(provider, stream);
    } else if (isDefinedProvider(provider)) {
      this.#own.set(provider.api, provider);
    } else {
      throw new InvalidArgumentError('registerProvider expects a defineProvider() result or (api, stream).', {
        argument: 'provider',
      });
    }
  }

  /** The entry for `api`: this registry's own, else its parent's. */
  entry(api: Api): Entry | undefined {
    return this.#own.get(api) ?? this.#parent?.entry(api);
  }

  getProvider(api: Api): StreamFunction {
    const entry = this.entry(api);
    if (entry === undefined) {
      throw new InvalidArgumentError(
        `No provider is registered for api "${api}" (registered: ${this.apis().join(', ')}).`,
        { argument: 'model.api' },
      );
    }
    if (!isDefinedProvider(entry)) return entry;
    if (this.presets === GLOBAL_PRESETS) return entry.stream;
    let bound = this.#bound.get(entry);
    if (bound === undefined) {
      bound = entry.streamWith(this.presets);
      this.#bound.set(entry, bound);
    }
    return bound;
  }

  apis(): Api[] {
    return [...new Set([...(this.#parent?.apis() ?? []), ...this.#own.keys()])];
  }

  registerPreset(preset: Preset): void {
    this.presets.register(preset);
  }

  getPreset(name: string): Preset | undefined {
    return this.presets.get(name);
  }

  stream(model: Model, context: Context, options: StreamOptions = {}): AssistantStream {
    let provider: StreamFunction;
    try {
      provider = this.getProvider(model?.api);
    } catch (error) {
      return failedStream(model, options, error);
    }
    return provider(model, context, options);
  }
}

const GLOBAL = new ProviderRegistry(undefined, GLOBAL_PRESETS);
for (const provider of [
  openAIChatProvider,
  openAIResponsesProvider,
  anthropicMessagesProvider,
  ollamaChatProvider,
]) {
  GLOBAL.registerProvider(provider);
}

/** The process-wide registry behind `stream()`, `registerProvider` and `registerPreset`. */
export const globalRegistry: Registry = GLOBAL;

/**
 * A scoped registry: providers and presets registered on it are seen only through it (its `stream`, or an
 * agent given its `stream` as `streamFn`); lookups fall back to the global registry.
 *
 * @example
 * const registry = createRegistry();
 * registry.registerProvider(myProvider);
 * const agent = new Agent({ model, streamFn: registry.stream.bind(registry) });
 */
export function createRegistry(): Registry {
  return new ProviderRegistry(GLOBAL, new PresetTable([], GLOBAL_PRESETS));
}

/**
 * Registers (or replaces) a provider in the global registry: a {@link defineProvider} result, or
 * `(api, streamFunction)`. Explicit: no side-effect imports.
 */
export function registerProvider(provider: Provider<object>): void;
export function registerProvider(api: Api, stream: StreamFunction): void;
export function registerProvider(provider: Provider<object> | Api, stream?: StreamFunction): void {
  if (typeof provider === 'string') GLOBAL.registerProvider(provider, stream as StreamFunction);
  else GLOBAL.registerProvider(provider);
}

/**
 * The provider for a wire protocol in the global registry.
 * @throws {InvalidArgumentError} when none is registered.
 */
export function getProvider(api: Api): StreamFunction {
  return GLOBAL.getProvider(api);
}
