import type { AgentMessage } from '../agent/config.js';
import type { Context } from '../types/context.js';
import type { Model } from '../types/model.js';
import type { ToolSpec } from '../types/tool.js';
import { FAMILY_RATES, familyOf, type TokenizerFamily } from './families.js';
import { type ImageTokenRule, imageRuleOf, imageTokens } from './image-tokens.js';
import { type TextRates, textTokens } from './text-tokens.js';

/**
 * Fixed costs of the chat format, in tokens. OpenAI documents 3 per message plus 3 to prime the reply
 * (https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken); ChatML-style templates of local
 * models (`<|im_start|>role\n … <|im_end|>\n`) cost 4–5, so 4 is used.
 */
export const MESSAGE_OVERHEAD = 4;
/** Tokens that prime the assistant's reply. */
export const REPLY_PRIMING = 3;
/** Tokens around one tool call (`<tool_call>` wrappers, id, `"name"`/`"arguments"` keys). */
export const TOOL_CALL_OVERHEAD = 8;
/** Tokens around one tool definition, and once for the tool section of the prompt. */
export const TOOL_SPEC_OVERHEAD = 8;
/** Tokens of the tool section's own preamble, counted once when there are tools. */
export const TOOLS_PREAMBLE = 20;

/** Options of {@link estimateTokens}. */
export interface EstimateOptions {
  /** Tokenizer family whose rates to use. @default from the model id (see `familyOf`), else `cl100k` */
  family?: TokenizerFamily;
  /** How images are priced. @default from the model (see `imageRuleOf`), else `openai-tiles` */
  imageRule?: ImageTokenRule;
  /** Count the reply priming ({@link REPLY_PRIMING}). @default true */
  replyPriming?: boolean;
}

/** An estimate, in tokens, with where they go. Every part is rounded up; `total` is their sum. */
export interface TokenEstimate {
  /** Everything the request carries: system + messages + tools (+ reply priming). */
  total: number;
  /** The system prompt with its message overhead (0 without one). */
  system: number;
  /** The messages, images and per-message overhead included. */
  messages: number;
  /** The tool definitions (0 without tools). */
  tools: number;
  /** The part of `messages` that is images. */
  images: number;
  /** Tokens of each message, in order (`custom` messages count 0: the default `convertToLlm` drops them). */
  perMessage: number[];
  /** The family whose rates were used. */
  family: TokenizerFamily;
}

/** What {@link estimateTokens} accepts: a whole context, or a transcript. */
export type EstimateInput = Context | readonly AgentMessage[];

function isContext(input: EstimateInput): input is Context {
  return !Array.isArray(input);
}

interface Pricing {
  rates: TextRates;
  rule: ImageTokenRule;
}

/** Tokens of one message: `[all, images]`. */
export function messageTokens(message: AgentMessage, pricing: Pricing): [number, number] {
  if (message.role === 'custom') return [0, 0];
  let text = MESSAGE_OVERHEAD;
  let images = 0;
  if (message.role === 'assistant') {
    for (const block of message.content) {
      if (block.type === 'text') text += textTokens(block.text, pricing.rates);
      else if (block.type === 'thinking') text += textTokens(block.thinking, pricing.rates);
      else {
        text += TOOL_CALL_OVERHEAD + textTokens(block.name, pricing.rates);
        text += textTokens(block.rawArguments ?? JSON.stringify(block.arguments), pricing.rates);
      }
    }
    return [Math.ceil(text), 0];
  }
  const content = message.content;
  if (typeof content === 'string') return [Math.ceil(text + textTokens(content, pricing.rates)), 0];
  if (message.role === 'toolResult') text += textTokens(message.toolName, pricing.rates);
  for (const part of content) {
    if (part.type === 'text') text += textTokens(part.text, pricing.rates);
    else images += imageTokens(part, pricing.rule);
  }
  return [Math.ceil(text) + images, images];
}

/** Tokens of the tool definitions (name, description and JSON Schema as the server receives them). */
export function toolSpecTokens(tools: readonly ToolSpec[] | undefined, rates: TextRates): number {
  if (!tools || tools.length === 0) return 0;
  let total = TOOLS_PREAMBLE;
  for (const tool of tools) {
    const spec = { name: tool.name, description: tool.description ?? '', parameters: tool.parameters };
    total += TOOL_SPEC_OVERHEAD + textTokens(JSON.stringify(spec), rates);
  }
  return Math.ceil(total);
}

/** The rates and image rule for a model and options. */
export function pricingFor(model: Model | string | undefined, options: EstimateOptions = {}): Pricing {
  const family = options.family ?? familyOf(model);
  return { rates: FAMILY_RATES[family], rule: options.imageRule ?? imageRuleOf(model) };
}

/**
 * Estimates the prompt tokens of a context (system prompt, messages, tool definitions) or of a transcript,
 * without a tokenizer: text by per-script rates of the model's tokenizer family (CJK, Cyrillic, Arabic,
 * code and punctuation differ), tool calls as name + JSON arguments, images by the provider's image rule,
 * plus the chat format's per-message overhead. Pure and linear in the input size.
 *
 * Accuracy: within ±15 % of the real tokenizer on the project's multilingual set for the measured
 * families (docs/context.md has the table); unknown models use `cl100k` rates, which over-count for newer
 * vocabularies. For exact counts on llama.cpp and vLLM use `countTokens`.
 *
 * @param input - a `Context`, or a message array (`custom` messages count 0).
 * @param model - the model (or its id) that picks the tokenizer family and the image rule.
 */
export function estimateTokens(
  input: EstimateInput,
  model?: Model | string,
  options: EstimateOptions = {},
): TokenEstimate {
  const family = options.family ?? familyOf(model);
  const pricing = pricingFor(model, { ...options, family });
  const context = isContext(input) ? input : undefined;
  const list: readonly AgentMessage[] = context ? context.messages : (input as readonly AgentMessage[]);
  const perMessage: number[] = [];
  let messages = 0;
  let images = 0;
  for (const message of list) {
    const [all, image] = messageTokens(message, pricing);
    perMessage.push(all);
    messages += all;
    images += image;
  }
  const prompt = context?.systemPrompt;
  const system = prompt ? Math.ceil(MESSAGE_OVERHEAD + textTokens(prompt, pricing.rates)) : 0;
  const tools = toolSpecTokens(context?.tools, pricing.rates);
  const priming = options.replyPriming === false ? 0 : REPLY_PRIMING;
  return { total: system + messages + tools + priming, system, messages, tools, images, perMessage, family };
}
