/**
 * Argument checks shared by every session store: session ids, operation ids, sequence numbers and items
 * (plain JSON objects with a string `type`). Web-standard.
 */
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { SessionConflictError } from '../errors/session-conflict-error.js';
import type { SessionAppendOptions, SessionItem, SessionRewriteOptions } from './store.js';

/** Longest session id and operation id accepted, in UTF-16 code units. */
export const SESSION_ID_MAX_LENGTH = 256;
/** Deepest nesting accepted inside one item (objects and arrays). */
export const SESSION_ITEM_MAX_DEPTH = 200;

// C0 and C1 control characters (U+0000-U+001F, U+007F-U+009F).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function checkId(value: unknown, argument: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > SESSION_ID_MAX_LENGTH) {
    throw new InvalidArgumentError(`${what} must be a string of 1 to ${SESSION_ID_MAX_LENGTH} characters.`, {
      argument,
    });
  }
  if (CONTROL.test(value)) {
    throw new InvalidArgumentError(`${what} must not contain control characters.`, { argument });
  }
  return value;
}

/**
 * Checks a session id: 1 to 256 characters, no control characters.
 * @throws InvalidArgumentError when it is not.
 */
export function checkSessionId(sessionId: unknown): string {
  return checkId(sessionId, 'sessionId', 'A session id');
}

/**
 * Checks a sequence number: a non-negative safe integer.
 * @throws InvalidArgumentError when it is not.
 */
export function checkSeq(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${argument} must be a non-negative integer.`, { argument });
  }
  return value;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkJson(value: unknown, path: string, depth: number, seen: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (Number.isFinite(value)) return;
      throw new InvalidArgumentError(`${path} is ${value}: only finite numbers are plain JSON.`, {
        argument: path,
      });
    case 'object':
      if (value === null) return;
      break;
    default:
      throw new InvalidArgumentError(`${path} is a ${typeof value}: items must be plain JSON.`, {
        argument: path,
      });
  }
  if (depth > SESSION_ITEM_MAX_DEPTH) {
    throw new InvalidArgumentError(`${path} nests deeper than ${SESSION_ITEM_MAX_DEPTH} levels.`, {
      argument: path,
    });
  }
  if (seen.has(value)) {
    throw new InvalidArgumentError(`${path} refers to itself: items must be plain JSON trees.`, {
      argument: path,
    });
  }
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((element, index) => {
      checkJson(element, `${path}[${index}]`, depth + 1, seen);
    });
  } else if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) checkJson(child, `${path}.${key}`, depth + 1, seen);
    }
  } else {
    const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new InvalidArgumentError(`${path} is a ${kind}: items must be plain JSON objects.`, {
      argument: path,
    });
  }
  seen.delete(value);
}

/**
 * Checks that `items` is an array of plain-JSON objects with a string `type` (finite numbers, no functions,
 * class instances, cycles or symbols; `undefined` properties are dropped like `JSON.stringify` does).
 * @throws InvalidArgumentError naming the first bad path, e.g. `items[2].content[0]`.
 */
export function checkSessionItems(items: unknown, argument = 'items'): SessionItem[] {
  if (!Array.isArray(items)) {
    throw new InvalidArgumentError(`${argument} must be an array of items.`, { argument });
  }
  items.forEach((item: unknown, index) => {
    const path = `${argument}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InvalidArgumentError(`${path} must be an object with a string \`type\`.`, { argument: path });
    }
    if (typeof (item as { type?: unknown }).type !== 'string') {
      throw new InvalidArgumentError(`${path}.type must be a string.`, { argument: `${path}.type` });
    }
    checkJson(item, path, 0, new Set());
  });
  return items as SessionItem[];
}

/**
 * Checks append options: a valid `operationId` and, when present, a valid `expectedSeq`.
 * @throws InvalidArgumentError when they are not.
 */
export function checkAppendOptions(options: unknown): SessionAppendOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('append needs options with an operationId.', { argument: 'options' });
  }
  const { operationId, expectedSeq } = options as Partial<SessionAppendOptions>;
  checkId(operationId, 'options.operationId', 'An operation id');
  if (expectedSeq !== undefined) checkSeq(expectedSeq, 'options.expectedSeq');
  return options as SessionAppendOptions;
}

/**
 * Checks rewrite options: a valid `expectedSeq` and a valid `replacement` list.
 * @throws InvalidArgumentError when they are not.
 */
export function checkRewriteOptions(options: unknown): SessionRewriteOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('rewrite needs options with expectedSeq and replacement.', {
      argument: 'options',
    });
  }
  const { expectedSeq, replacement } = options as Partial<SessionRewriteOptions>;
  checkSeq(expectedSeq, 'options.expectedSeq');
  checkSessionItems(replacement, 'options.replacement');
  return options as SessionRewriteOptions;
}

/**
 * Checks `afterSeq` of load options.
 * @throws InvalidArgumentError when it is not a non-negative integer.
 */
export function checkAfterSeq(options: { afterSeq?: number } | undefined): number {
  if (options === undefined || options === null || options.afterSeq === undefined) return 0;
  return checkSeq(options.afterSeq, 'options.afterSeq');
}

/** The JSON text of each item (after {@link checkSessionItems}): the store's deep copy. */
export function encodeItems(items: readonly SessionItem[]): string[] {
  return items.map((item) => JSON.stringify(item));
}

/** The conflict error every store throws when `expectedSeq` does not match. */
export function conflictError(
  sessionId: string,
  expectedSeq: number,
  actualSeq: number,
): SessionConflictError {
  return new SessionConflictError(
    `Session ${JSON.stringify(sessionId)} is at seq ${actualSeq}, not the expected ${expectedSeq}: another ` +
      'writer moved it. Load the session again and retry.',
    { sessionId, expectedSeq, actualSeq },
  );
}
