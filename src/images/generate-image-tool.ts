/**
 * A tool agents can call to draw an image: runs {@link generateImage} (or a function of yours) and returns
 * the images as image parts the model (and the app) can see.
 *
 * @module
 */

import { type Tool, tool } from '../tools/tool.js';
import type { ImageContent, TextContent } from '../types/content.js';
import { type GenerateImageOptions, generateImage } from './generate-image.js';
import type { ImageGenerationResult } from './generate-image-shared.js';

/** Options of {@link imageGenerationTool}. */
export interface ImageToolOptions {
  /** The server and model: every {@link GenerateImageOptions} field but the prompt (the model supplies it). */
  endpoint: Omit<GenerateImageOptions, 'prompt' | 'signal'>;
  /** Tool name. @default 'generate_image' */
  name?: string;
  /** Called with each result (to save the images); the tool still returns them to the model. */
  onImages?: (result: ImageGenerationResult, prompt: string) => void | Promise<void>;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * A {@link Tool} `generate_image({ prompt, size? })` that generates one image per call. The result holds
 * one image part per image (base64 data, or the URL the server returned) and a text line naming them.
 * The tool call's signal aborts the request.
 */
export function imageGenerationTool(options: ImageToolOptions): Tool<{ prompt: string; size?: string }> {
  return tool<{ prompt: string; size?: string }>({
    name: options.name ?? 'generate_image',
    description: 'Generate an image from a text description. Returns the image.',
    parameters: {
      type: 'object',
      properties: {
        prompt: { type: 'string', description: 'What the image shows, in detail.' },
        size: { type: 'string', description: 'WIDTHxHEIGHT in pixels, e.g. 1024x1024 (optional).' },
      },
      required: ['prompt'],
      additionalProperties: false,
    },
    async execute({ args, signal }) {
      const result = await generateImage({
        ...options.endpoint,
        prompt: args.prompt,
        ...(args.size !== undefined && { size: args.size }),
        signal,
      });
      await options.onImages?.(result, args.prompt);
      const parts: (TextContent | ImageContent)[] = [
        { type: 'text', text: `Generated ${result.images.length} image(s).` },
      ];
      for (const image of result.images) {
        if (image.data) parts.push({ type: 'image', data: toBase64(image.data), mimeType: image.mimeType });
        else if (image.url) parts.push({ type: 'image', url: image.url });
      }
      return { content: parts };
    },
  });
}
