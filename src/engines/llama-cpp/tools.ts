import type {
  ChatModelFunctions,
  ChatWrapper,
  ChatWrapperGeneratedContextState,
  GbnfJsonSchema,
} from 'node-llama-cpp';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { ToolChoice } from '../../types/options.js';
import type { ToolSpec } from '../../types/tool.js';
import type { NodeLlamaCpp } from './load.js';

/** The functions offered to the model for one call, and whether one must be called. */
export interface OfferedFunctions {
  /** node-llama-cpp function definitions (no handlers: calls are returned, never executed here). */
  functions: ChatModelFunctions | undefined;
  /** `required` or a named tool: the response starts in function-call mode. */
  force: boolean;
}

/**
 * Maps tools and `toolChoice` to node-llama-cpp functions. `none` offers nothing; a named tool offers only
 * that tool and forces it; `required` forces a call to one of them.
 * @throws {InvalidArgumentError} when the named tool is not in `tools`.
 */
export function offerFunctions(
  tools: ToolSpec[] | undefined,
  choice: ToolChoice | undefined,
): OfferedFunctions {
  if (!tools?.length || choice === 'none') return { functions: undefined, force: false };
  let offered = tools;
  if (typeof choice === 'object') {
    offered = tools.filter((tool) => tool.name === choice.name);
    if (offered.length === 0)
      throw new InvalidArgumentError(`toolChoice names "${choice.name}", which is not among the tools.`, {
        argument: 'options.toolChoice',
      });
  }
  const functions: Record<string, ChatModelFunctions[string]> = {};
  for (const tool of offered) {
    functions[tool.name] = {
      ...(tool.description !== undefined && { description: tool.description }),
      params: tool.parameters as unknown as GbnfJsonSchema,
    };
  }
  return { functions, force: choice === 'required' || typeof choice === 'object' };
}

function alreadyCalled(chatHistory: readonly { type: string; response?: readonly unknown[] }[]): boolean {
  const last = chatHistory.at(-1);
  return (
    last?.type === 'model' &&
    (last.response ?? []).some((item) => (item as { type?: unknown } | null)?.type === 'functionCall')
  );
}

/**
 * A chat wrapper that behaves like `inner` but starts a new model response in function-call mode (the
 * `noPrefixTrigger` context-state option), so the grammar makes the model pick a function and write
 * arguments matching its schema. Only the first call of a response is forced: once the response holds a
 * call (and its result), the model continues freely, which lets an agent loop end.
 *
 * Built as an object whose prototype is `inner`, so it works for whatever wrapper node-llama-cpp
 * resolved from the model's template (ChatML, Llama 3, Qwen, ...), not only ChatML.
 */
export function forcingWrapper(lib: NodeLlamaCpp, inner: ChatWrapper): ChatWrapper {
  const forced: ChatWrapper = Object.create(inner);
  forced.generateContextState = (options): ChatWrapperGeneratedContextState => {
    const state = inner.generateContextState(options);
    const hasFunctions = Object.keys(options.availableFunctions ?? {}).length > 0;
    if (!hasFunctions || alreadyCalled(options.chatHistory) || state.functionCall) return state;
    return {
      ...state,
      prefixTriggers: undefined,
      noPrefixTrigger: { type: 'functionCall', inject: lib.LlamaText(inner.settings.functions.call.prefix) },
    } as ChatWrapperGeneratedContextState;
  };
  return forced;
}
