import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Preset } from './preset.js';

/** Origin (`scheme://host:port`) of a URL, or undefined when it does not parse. */
export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function originKey(url: string): string | undefined {
  return originOf(url)?.replace('://127.0.0.1', '://localhost');
}

/**
 * A set of presets that can be extended: the built-in table (global, see `registerPreset`) or a scoped one
 * made by `createRegistry()`, which looks in its own presets first and then in its parent's. Names are
 * case-insensitive; a registered preset replaces one of the same name.
 */
export class PresetTable {
  readonly #own = new Map<string, Preset>();
  readonly #parent: PresetTable | undefined;
  /** Own presets by origin of their default base URL, built on first use (runs on every request). */
  #byOrigin: Map<string, Preset> | undefined;

  /**
   * @param presets - the presets this table starts with.
   * @param parent - the table consulted when this one has no match (a scoped registry's is the global one).
   */
  constructor(presets: readonly Preset[] = [], parent?: PresetTable) {
    this.#parent = parent;
    for (const preset of presets) this.#own.set(preset.name.toLowerCase(), preset);
  }

  /**
   * Adds or replaces a preset (data only: a name, a base URL, an API, compat flags).
   * @throws {InvalidArgumentError} when the name is empty or the base URL does not parse.
   */
  register(preset: Preset): void {
    if (preset.name.length === 0)
      throw new InvalidArgumentError('A preset needs a name.', { argument: 'name' });
    if (originOf(preset.baseUrl) === undefined) {
      throw new InvalidArgumentError(`Preset "${preset.name}" has an invalid baseUrl: ${preset.baseUrl}`, {
        argument: 'baseUrl',
      });
    }
    this.#own.set(preset.name.toLowerCase(), Object.freeze({ ...preset }));
    this.#byOrigin = undefined;
  }

  /** The preset of that name (case-insensitive), here or in the parent table. */
  get(name: string): Preset | undefined {
    return this.#own.get(name.toLowerCase()) ?? this.#parent?.get(name);
  }

  /** The preset whose default base URL has the same origin as `baseUrl` (`127.0.0.1` counts as `localhost`). */
  forBaseUrl(baseUrl: string): Preset | undefined {
    const origin = originKey(baseUrl);
    if (!origin) return undefined;
    if (!this.#byOrigin) {
      const map = new Map<string, Preset>();
      for (const preset of this.#own.values()) {
        const key = originKey(preset.baseUrl);
        if (key && !map.has(key)) map.set(key, preset);
      }
      this.#byOrigin = map;
    }
    return this.#byOrigin.get(origin) ?? this.#parent?.forBaseUrl(baseUrl);
  }

  /** Every preset visible from this table, own ones first (a name appears once). */
  list(): Preset[] {
    const out = [...this.#own.values()];
    for (const preset of this.#parent?.list() ?? []) {
      if (!this.#own.has(preset.name.toLowerCase())) out.push(preset);
    }
    return out;
  }
}
