/**
 * Image generation, exported as `open-agent-sdk/images`: the images endpoint family (OpenAI, LocalAI,
 * stable-diffusion.cpp, llama.cpp), edits over multipart, the chat-modalities family (OpenRouter), and a
 * tool agents can call. (Image *input* for chat messages stays in the root export.)
 *
 * @module
 */

export { type EditImageOptions, editImage, type ImageFileInput } from './edit-image.js';
export { type GenerateImageOptions, generateImage, splitCount } from './generate-image.js';
export { type ChatImageOptions, generateImageViaChat } from './generate-image-chat.js';
export {
  type GeneratedImage,
  IMAGE_SERVER_LIMITS,
  type ImageGenerationResult,
  type ImageServerLimits,
  type ImageUsage,
  sniffImageType,
} from './generate-image-shared.js';
export { type ImageToolOptions, imageGenerationTool } from './generate-image-tool.js';
