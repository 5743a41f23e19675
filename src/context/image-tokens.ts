import type { ImageContent } from '../types/content.js';
import type { Model } from '../types/model.js';
import { type ImageSize, imageSizeOf } from './image-size.js';

/**
 * How a provider turns an image into tokens:
 * - `openai-tiles`: `detail: low` costs 85; otherwise the image is fitted into 2048×2048, scaled so its
 *   short side is at most 768, and costs 85 + 170 per 512×512 tile (GPT-4o, GPT-4.1; also the default for
 *   unknown models). Source: https://platform.openai.com/docs/guides/images-vision (Calculating costs).
 * - `anthropic`: the image is fitted into 1568 px on the long side, then costs `width × height / 750`.
 *   Source: https://docs.anthropic.com/en/docs/build-with-claude/vision (Evaluate image size).
 * - `gemini`: 258 when both sides are at most 384 px, else 258 per 768×768 tile.
 *   Source: https://ai.google.dev/gemini-api/docs/tokens (Multimodal tokens).
 * - `patch28`: one token per 28×28 patch, pixels clamped to [56², 28²·16384] (Qwen2-VL and Qwen2.5-VL).
 *   Source: the Qwen2-VL image processor (`min_pixels`, `max_pixels`, `patch_size` 14 merged 2×2).
 * - `{ fixed: n }`: every image costs `n` (Gemma 3: 256; LLaVA 1.5: 576).
 */
export type ImageTokenRule = 'openai-tiles' | 'anthropic' | 'gemini' | 'patch28' | { fixed: number };

/** The size assumed when the image is a URL or its header cannot be read, in pixels. */
export const ASSUMED_IMAGE_SIZE: Readonly<ImageSize> = Object.freeze({ width: 1024, height: 1024 });

/** The image rule for a model: by API and id; unknown models get `openai-tiles`. */
export function imageRuleOf(model: Model | string | undefined): ImageTokenRule {
  if (model === undefined) return 'openai-tiles';
  const id = (typeof model === 'string' ? model : model.id).toLowerCase();
  if ((typeof model !== 'string' && model.api === 'anthropic-messages') || id.includes('claude'))
    return 'anthropic';
  if (id.includes('gemini')) return 'gemini';
  if (id.includes('gemma')) return { fixed: 256 };
  if (id.includes('llava')) return { fixed: 576 };
  if (/qwen[\d.]*-?vl/.test(id)) return 'patch28';
  return 'openai-tiles';
}

function openaiTiles(size: ImageSize, detail: ImageContent['detail']): number {
  if (detail === 'low') return 85;
  let { width, height } = size;
  const fit = Math.min(1, 2048 / Math.max(width, height));
  width *= fit;
  height *= fit;
  const shrink = Math.min(1, 768 / Math.min(width, height));
  width *= shrink;
  height *= shrink;
  return 85 + 170 * Math.ceil(width / 512) * Math.ceil(height / 512);
}

function anthropicTokens(size: ImageSize): number {
  const fit = Math.min(1, 1568 / Math.max(size.width, size.height));
  return Math.ceil((size.width * fit * size.height * fit) / 750);
}

function patchTokens(size: ImageSize): number {
  const pixels = size.width * size.height;
  const scale = Math.sqrt(Math.min(Math.max(pixels, 56 * 56), 28 * 28 * 16384) / pixels);
  return Math.ceil((size.width * scale) / 28) * Math.ceil((size.height * scale) / 28);
}

/**
 * Estimated tokens of one image under `rule`. The size comes from the base64 header when there is data,
 * else {@link ASSUMED_IMAGE_SIZE}.
 */
export function imageTokens(image: ImageContent, rule: ImageTokenRule): number {
  if (typeof rule === 'object') return rule.fixed;
  const size = (image.data !== undefined ? imageSizeOf(image.data) : undefined) ?? ASSUMED_IMAGE_SIZE;
  switch (rule) {
    case 'anthropic':
      return anthropicTokens(size);
    case 'gemini':
      return size.width <= 384 && size.height <= 384
        ? 258
        : 258 * Math.ceil(size.width / 768) * Math.ceil(size.height / 768);
    case 'patch28':
      return patchTokens(size);
    default:
      return openaiTiles(size, image.detail);
  }
}
