import type { PresetTable } from '../presets/preset-table.js';
import { GLOBAL_PRESETS } from '../presets/presets.js';
import type { ModelCompat } from '../types/compat.js';
import type { Api } from '../types/message.js';
import type { Model } from '../types/model.js';

/** True for compat inputs that cannot change under the cache: absent, or frozen. */
function unchanging(value: object | undefined): boolean {
  return value === undefined || Object.isFrozen(value);
}

/** The last resolution per model, reused while its inputs are the same (unchanging) objects. */
const resolved = new WeakMap<
  Model,
  {
    defaults: object;
    explicit: object | undefined;
    found: object | undefined;
    fromPreset: object | undefined;
    compat: Record<string, unknown>;
  }
>();

/** The keys of each defaults object, listed once (every model call resolves against the same few). */
const keysOf = new WeakMap<object, readonly string[]>();
function keys(defaults: object): readonly string[] {
  let list = keysOf.get(defaults);
  if (list === undefined) {
    list = Object.keys(defaults);
    keysOf.set(defaults, list);
  }
  return list;
}

/**
 * The one compat resolver of every provider: the flags of the profile `defaults` for a model on wire
 * protocol `api`, each taken from (first wins) the model record's `compat` > `probed` facts > the preset
 * named by `model.provider` (its own `compat` when it speaks `api`, else its `apiCompat[api]` entry) >
 * `defaults`. Only the keys of `defaults` are read from each layer, so flags of other protocols never leak
 * in, and a value of `undefined` means "not set".
 *
 * @typeParam C - the compat profile of the wire protocol (e.g. `OpenAIChatCompat`).
 * @param presets - where `model.provider` is looked up. @default the global preset table
 * @returns a new object; `defaults` is not modified.
 */
export function resolveCompatFor<C extends object>(
  api: Api,
  defaults: Readonly<C>,
  model: Model,
  probed?: ModelCompat | Partial<C>,
  presets: PresetTable = GLOBAL_PRESETS,
): C {
  const preset = presets.get(model.provider);
  const fromPreset = (preset?.api === api ? preset.compat : preset?.apiCompat?.[api]) as
    | Record<string, unknown>
    | undefined;
  const explicit = model.compat as Record<string, unknown> | undefined;
  const found = probed as Record<string, unknown> | undefined;
  // Inputs that cannot change (absent or frozen) give the same answer every call: kept per model.
  const reusable = unchanging(explicit) && unchanging(found) && unchanging(fromPreset);
  if (reusable) {
    const cached = resolved.get(model);
    if (
      cached !== undefined &&
      cached.defaults === defaults &&
      cached.explicit === explicit &&
      cached.found === found &&
      cached.fromPreset === fromPreset
    ) {
      return cached.compat as C;
    }
  }
  const base = defaults as Record<string, unknown>;
  // One pass over the API's flags, first defined value wins: no intermediate objects per call.
  const out: Record<string, unknown> = {};
  for (const key of keys(defaults)) {
    let value = explicit?.[key];
    if (value === undefined) value = found?.[key];
    if (value === undefined) value = fromPreset?.[key];
    out[key] = value === undefined ? base[key] : value;
  }
  if (reusable) {
    // Shared by every call of this model: frozen, so no provider can change it for the others.
    Object.freeze(out);
    resolved.set(model, { defaults, explicit, found, fromPreset, compat: out });
  }
  return out as C;
}
