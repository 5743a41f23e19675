import { writeFileSync } from 'node:fs';
import { bool, f32, type GgufTensor, type GgufValue, str, u32, writeGguf } from './gguf-writer.js';

/**
 * Writes a tiny random-weight llama model (about 0.5 MB, F32) that llama.cpp loads and node-llama-cpp
 * drives: 2 layers, n_embd 64, 4 heads / 2 KV heads, n_ff 128, a real GPT-2 byte-level BPE tokenizer
 * (256 byte tokens, merges trained on an inline corpus, 3 control tokens) and a ChatML chat template, so
 * node-llama-cpp picks its ChatML wrapper. Text is random; tests assert plumbing only.
 *
 * A "steering channel" keeps the random model printable: dimension 0 of every token embedding is 8, so
 * column 0 of `output.weight` acts as a per-token logit bias (−3 on non-printable byte tokens and unused
 * control tokens, +0.5 on the end-of-turn token so answers end).
 */

const E = 64;
const LAYERS = 2;
const HEADS = 4;
const KV_HEADS = 2;
const FF = 128;
const HEAD_DIM = E / HEADS;
const MERGES = 120;

const CORPUS = `Hello world! The quick brown fox jumps over the lazy dog. {"city": "Tokyo", "days": 3, "ok": true}
The weather in Paris is sunny today. Call the tool with the right arguments and read the result.
function calls, tools, answers, questions: what is the time? It is ten o'clock. [1, 2, 3] "name": "value"`;

/** Seeded PRNG (mulberry32), uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** GPT-2's byte → printable unicode character table. */
function byteToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const table: string[] = new Array(256);
  for (const b of bs) table[b] = String.fromCodePoint(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) table[b] = String.fromCodePoint(256 + n++);
  return table;
}

/** Trains `count` BPE merges on the corpus, GPT-2 style (within pre-tokenized words). */
function trainMerges(table: string[], count: number): { merges: string[]; tokens: string[] } {
  const words = (CORPUS.match(/ ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+/g) ?? []).map((w) =>
    [...Buffer.from(w, 'utf8')].map((b) => table[b] as string),
  );
  const merges: string[] = [];
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const pairs = new Map<string, number>();
    for (const w of words)
      for (let j = 0; j + 1 < w.length; j++) {
        const key = `${w[j]} ${w[j + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    let best: string | undefined;
    let bestCount = 1;
    for (const [key, n] of pairs) if (n > bestCount) [best, bestCount] = [key, n];
    if (best === undefined) break;
    const [a, b] = best.split(' ') as [string, string];
    merges.push(best);
    tokens.push(a + b);
    for (const w of words)
      for (let j = 0; j + 1 < w.length; j++) if (w[j] === a && w[j + 1] === b) w.splice(j, 2, a + b);
  }
  return { merges, tokens };
}

const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

function tokenizerMetadata(eosBias: number): { kv: Record<string, GgufValue>; bias: number[] } {
  const table = byteToUnicode();
  const { merges, tokens: merged } = trainMerges(table, MERGES);
  const specials = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
  const tokens = [...table, ...merged, ...specials];
  const types = tokens.map((_, i) => (i >= tokens.length - specials.length ? 3 : 1));
  const printable = (b: number) => (b >= 0x20 && b < 0x7f) || b === 0x0a;
  const bias: number[] = tokens.map((_, i) => (i < 256 ? (printable(i) ? 0 : -3) : 0));
  const eos = tokens.length - 1;
  bias[eos - 1] = -3;
  bias[eos - 2] = -3;
  bias[eos] = eosBias;
  const kv: Record<string, GgufValue> = {
    'tokenizer.ggml.model': str('gpt2'),
    'tokenizer.ggml.pre': str('gpt-2'),
    'tokenizer.ggml.tokens': { type: 'array', elementType: 'string', value: tokens },
    'tokenizer.ggml.token_type': { type: 'array', elementType: 'i32', value: types },
    'tokenizer.ggml.merges': { type: 'array', elementType: 'string', value: merges },
    'tokenizer.ggml.bos_token_id': u32(eos - 2),
    'tokenizer.ggml.eos_token_id': u32(eos),
    'tokenizer.ggml.add_bos_token': bool(false),
    'tokenizer.chat_template': str(CHATML),
  };
  return { kv, bias };
}

function randomTensor(name: string, dims: number[], next: () => number, scale: number): GgufTensor {
  const size = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = (next() * 2 - 1) * scale;
  return { name, dims, data };
}

function ones(name: string, n: number): GgufTensor {
  return { name, dims: [n], data: new Float32Array(n).fill(1) };
}

/** Options of {@link makeTinyLlama}. */
export interface TinyLlamaOptions {
  /** Weight seed. @default 1 */
  seed?: number;
  /** Logit bias of the end-of-turn token: +0.5 ends answers soon, −3 gives endless text. @default 0.5 */
  eosBias?: number;
}

/** Builds the model file image. */
export function makeTinyLlama(options: TinyLlamaOptions = {}): Buffer {
  const next = prng(options.seed ?? 1);
  const { kv, bias } = tokenizerMetadata(options.eosBias ?? 0.5);
  const vocab = bias.length;
  const embd = randomTensor('token_embd.weight', [E, vocab], next, 0.1);
  const output = randomTensor('output.weight', [E, vocab], next, 0.1);
  for (let t = 0; t < vocab; t++) {
    embd.data[t * E] = 8;
    output.data[t * E] = (bias[t] as number) / 8;
  }
  const tensors: GgufTensor[] = [embd];
  for (let l = 0; l < LAYERS; l++) {
    const p = `blk.${l}`;
    tensors.push(
      ones(`${p}.attn_norm.weight`, E),
      randomTensor(`${p}.attn_q.weight`, [E, E], next, 0.05),
      randomTensor(`${p}.attn_k.weight`, [E, KV_HEADS * HEAD_DIM], next, 0.05),
      randomTensor(`${p}.attn_v.weight`, [E, KV_HEADS * HEAD_DIM], next, 0.05),
      randomTensor(`${p}.attn_output.weight`, [E, E], next, 0.05),
      ones(`${p}.ffn_norm.weight`, E),
      randomTensor(`${p}.ffn_gate.weight`, [E, FF], next, 0.05),
      randomTensor(`${p}.ffn_up.weight`, [E, FF], next, 0.05),
      randomTensor(`${p}.ffn_down.weight`, [FF, E], next, 0.05),
    );
  }
  tensors.push(ones('output_norm.weight', E), output);
  const metadata: Record<string, GgufValue> = {
    'general.architecture': str('llama'),
    'general.name': str('tiny-random-llama'),
    'llama.context_length': u32(4096),
    'llama.embedding_length': u32(E),
    'llama.block_count': u32(LAYERS),
    'llama.feed_forward_length': u32(FF),
    'llama.attention.head_count': u32(HEADS),
    'llama.attention.head_count_kv': u32(KV_HEADS),
    'llama.rope.dimension_count': u32(HEAD_DIM),
    'llama.attention.layer_norm_rms_epsilon': f32(1e-5),
    ...kv,
  };
  return writeGguf(metadata, tensors);
}

/** Writes the tiny model to `path` and returns the path. */
export function writeTinyLlama(path: string, options: TinyLlamaOptions = {}): string {
  writeFileSync(path, makeTinyLlama(options));
  return path;
}
