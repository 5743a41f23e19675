/**
 * The Lua scripts of `RedisStore`. Each runs atomically on the server (EVALSHA, falling back to EVAL), so a
 * client that dies mid-call leaves either the whole change or none of it.
 *
 * Keys of a session (`{id}` is a Redis Cluster hash tag, so all three live on one slot):
 * KEYS[1] `<prefix>{<id>}:items` list of item JSON texts (seq = position + 1),
 * KEYS[2] `<prefix>{<id>}:ops`   hash operationId → the lastSeq its append returned,
 * KEYS[3] `<prefix>{<id>}:meta`  hash `v` (format version, 1).
 */
import { createHash } from 'node:crypto';

/** A script and its SHA-1 for EVALSHA. */
export interface RedisScript {
  readonly lua: string;
  readonly sha: string;
}

function script(lua: string): RedisScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/** The format version the scripts write. */
export const REDIS_FORMAT_VERSION = 1;

/** Refuses sessions written in a newer format: returns `{3, v}`. */
const VERSION_GUARD = `
local version = tonumber(redis.call('HGET', KEYS[3], 'v') or '0')
if version > ${REDIS_FORMAT_VERSION} then return {3, version} end`;

/** Pushes ARGV[from..] onto the list, in chunks (Lua's unpack has a stack limit). */
const PUSH_FROM = `
local function push(from)
  for i = from, #ARGV, 1000 do
    redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
end`;

/**
 * ARGV: operationId, expectedSeq ('' for none), item texts...
 * Returns {0, lastSeq} applied, {1, lastSeq} duplicate, {2, actualSeq} conflict, {3, v} newer format.
 */
export const APPEND_SCRIPT = script(`${VERSION_GUARD}${PUSH_FROM}
local done = redis.call('HGET', KEYS[2], ARGV[1])
if done then return {1, tonumber(done)} end
local length = redis.call('LLEN', KEYS[1])
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= length then return {2, length} end
push(3)
local last = length + #ARGV - 2
redis.call('HSET', KEYS[2], ARGV[1], last)
redis.call('HSETNX', KEYS[3], 'v', '${REDIS_FORMAT_VERSION}')
return {0, last}`);

/** ARGV: expectedSeq, item texts... Returns {0, lastSeq} applied, {2, actualSeq} conflict, {3, v} newer. */
export const REWRITE_SCRIPT = script(`${VERSION_GUARD}${PUSH_FROM}
local length = redis.call('LLEN', KEYS[1])
if tonumber(ARGV[1]) ~= length then return {2, length} end
redis.call('DEL', KEYS[1])
push(2)
redis.call('HSETNX', KEYS[3], 'v', '${REDIS_FORMAT_VERSION}')
return {0, #ARGV - 1}`);

/** ARGV: afterSeq. Returns {0, lastSeq, {item texts after afterSeq}} or {3, v} newer format. */
export const LOAD_SCRIPT = script(`${VERSION_GUARD}
local length = redis.call('LLEN', KEYS[1])
return {0, length, redis.call('LRANGE', KEYS[1], tonumber(ARGV[1]), -1)}`);

/** Deletes the session's keys. */
export const DELETE_SCRIPT = script(`return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])`);
