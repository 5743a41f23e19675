import { requestSecrets } from '../../http/redact.js';
import type { Context } from '../../types/context.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import type { AssistantStream } from '../shared/assistant-stream.js';
import { connectionHint, endpointUrl, requestHeaders, resolveApiKey } from '../shared/endpoint.js';
import { withPreparation } from '../shared/prepared-stream.js';
import { runStream } from '../shared/run-stream.js';
import { resolveAnthropicCompat } from './compat.js';
import { buildAnthropicRequest } from './request.js';
import { AnthropicResponseHandler } from './stream.js';

/**
 * Streams one Anthropic Messages call (`POST {baseUrl}/messages`) to api.anthropic.com or a compatible
 * server. Sends `anthropic-version` (and `anthropic-beta` when the compat profile lists betas); the key goes
 * in `x-api-key`, or as a bearer token when `compat.authHeader` is `bearer`.
 *
 * Source: https://docs.anthropic.com/en/api/messages and
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 * @returns an {@link AssistantStream}; never throws: failures end in an `error` event.
 */
export function streamAnthropicMessages(
  model: Model,
  context: Context,
  options: StreamOptions = {},
): AssistantStream {
  const compat = resolveAnthropicCompat(model);
  return withPreparation(context, options, (preparation) =>
    runStream(model, options, {
      prepare() {
        preparation.check();
        const url = endpointUrl(model, '/messages');
        const apiKey = resolveApiKey(model, options);
        const { body, warnings } = buildAnthropicRequest(model, preparation.context(), options, compat);
        const streaming = options.streaming !== false;
        const base: Record<string, string> = { 'anthropic-version': compat.anthropicVersion };
        if (compat.betas.length > 0) base['anthropic-beta'] = compat.betas.join(',');
        if (apiKey && compat.authHeader === 'x-api-key') base['x-api-key'] = apiKey;
        const headers = {
          ...base,
          ...requestHeaders(
            model,
            options,
            compat.authHeader === 'bearer' ? apiKey : undefined,
            streaming ? 'text/event-stream' : 'application/json',
          ),
        };
        const hint = connectionHint(model);
        return {
          url,
          headers,
          body,
          warnings,
          secrets: requestSecrets(url, headers, [apiKey]),
          ...(hint !== undefined && { connectionHint: hint }),
        };
      },
      handler: (builder, url) => new AnthropicResponseHandler(builder, url),
    }),
  );
}

export { resolveAnthropicCompat } from './compat.js';
export { buildAnthropicRequest } from './request.js';
