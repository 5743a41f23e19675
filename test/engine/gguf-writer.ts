/**
 * A minimal GGUF v3 writer for tests (no dependencies). Layout, from ggml-org/ggml `docs/gguf.md`:
 * magic `GGUF`, u32 version 3, u64 tensor count, u64 KV count, the KVs (u64-length string key, u32 type,
 * value; arrays are u32 element type + u64 length + elements), the tensor infos (name, u32 n_dims, u64
 * dims in ggml order, u32 ggml type, u64 offset into the data section), zero padding to
 * `general.alignment` (32), then the tensor data, each tensor padded to 32 bytes.
 *
 * llama.cpp wants hyperparameters as u32 (not u64): use {@link u32} for them.
 */

/** GGUF metadata value types. */
const T = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;

/** A typed metadata value. */
export type GgufValue =
  | { type: 'u32' | 'i32' | 'f32' | 'u64'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; elementType: 'i32' | 'f32' | 'string'; value: (number | string)[] };

/** A u32 value (hyperparameters). */
export const u32 = (value: number): GgufValue => ({ type: 'u32', value });
/** An f32 value. */
export const f32 = (value: number): GgufValue => ({ type: 'f32', value });
/** A string value. */
export const str = (value: string): GgufValue => ({ type: 'string', value });
/** A boolean value. */
export const bool = (value: boolean): GgufValue => ({ type: 'bool', value });

/** One F32 tensor: dims in ggml order (the first dim is the row length). */
export interface GgufTensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

const ALIGN = 32;
const GGML_TYPE_F32 = 0;

class ByteSink {
  readonly chunks: Buffer[] = [];
  size = 0;
  push(buf: Buffer): void {
    this.chunks.push(buf);
    this.size += buf.length;
  }
  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  u64(n: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(): void {
    const rest = this.size % ALIGN;
    if (rest !== 0) this.push(Buffer.alloc(ALIGN - rest));
  }
}

function writeScalar(sink: ByteSink, type: string, value: number | string | boolean): void {
  const b = Buffer.alloc(type === 'u64' ? 8 : type === 'bool' ? 1 : 4);
  if (type === 'u32') b.writeUInt32LE(value as number);
  else if (type === 'i32') b.writeInt32LE(value as number);
  else if (type === 'f32') b.writeFloatLE(value as number);
  else if (type === 'u64') b.writeBigUInt64LE(BigInt(value as number));
  else if (type === 'bool') b.writeUInt8(value ? 1 : 0);
  else if (type === 'string') {
    sink.string(value as string);
    return;
  }
  sink.push(b);
}

function writeValue(sink: ByteSink, v: GgufValue): void {
  sink.u32(T[v.type]);
  if (v.type !== 'array') {
    writeScalar(sink, v.type, v.value);
    return;
  }
  sink.u32(T[v.elementType]);
  sink.u64(v.value.length);
  for (const item of v.value) writeScalar(sink, v.elementType, item);
}

/** Serializes metadata and F32 tensors into a GGUF v3 file image. */
export function writeGguf(metadata: Record<string, GgufValue>, tensors: GgufTensor[]): Buffer {
  const sink = new ByteSink();
  sink.push(Buffer.from('GGUF', 'ascii'));
  sink.u32(3);
  sink.u64(tensors.length);
  const kvs = { 'general.alignment': u32(ALIGN), ...metadata };
  sink.u64(Object.keys(kvs).length);
  for (const [key, value] of Object.entries(kvs)) {
    sink.string(key);
    writeValue(sink, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const d of tensor.dims) sink.u64(d);
    sink.u32(GGML_TYPE_F32);
    sink.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGN) * ALIGN;
  }
  sink.pad();
  for (const tensor of tensors) {
    sink.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    sink.pad();
  }
  return Buffer.concat(sink.chunks);
}
