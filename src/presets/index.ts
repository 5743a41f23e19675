export { type ModelForOptions, modelFor } from './model-for.js';
export type { Preset } from './preset.js';
export { PresetTable } from './preset-table.js';
export { getPreset, originOf, PRESETS, presetForBaseUrl, registerPreset } from './presets.js';
