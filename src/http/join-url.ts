/**
 * Joins a base URL and an endpoint path, keeping the base URL's query string and fragment:
 * `joinUrl('https://x.openai.azure.com/openai/deployments/d?api-version=2024-10-21', '/chat/completions')`
 * is `https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21`.
 *
 * Exactly one `/` separates the base path and `path` (trailing slashes of the base and leading slashes of
 * `path` are dropped). A query in `path` itself (`/models?limit=5`) is merged after the base's query. Pure
 * string work: the base is not validated (callers check it is an http(s) URL first).
 *
 * @param base - a base URL, e.g. `http://localhost:11434/v1` or one with `?api-version=…`.
 * @param path - an endpoint path, e.g. `/chat/completions`; empty returns the base unchanged.
 * @returns the joined URL.
 */
export function joinUrl(base: string, path: string): string {
  const hashAt = base.indexOf('#');
  const withoutHash = hashAt === -1 ? base : base.slice(0, hashAt);
  const queryAt = withoutHash.indexOf('?');
  const basePath = queryAt === -1 ? withoutHash : withoutHash.slice(0, queryAt);
  const baseQuery = queryAt === -1 ? '' : withoutHash.slice(queryAt + 1);
  const pathQueryAt = path.indexOf('?');
  const pathOnly = pathQueryAt === -1 ? path : path.slice(0, pathQueryAt);
  const pathQuery = pathQueryAt === -1 ? '' : path.slice(pathQueryAt + 1);
  const trimmedPath = pathOnly.replace(/^\/+/, '');
  const joined =
    trimmedPath === '' ? basePath.replace(/\/+$/, '') : `${basePath.replace(/\/+$/, '')}/${trimmedPath}`;
  const query = [baseQuery, pathQuery].filter((q) => q.length > 0).join('&');
  return query === '' ? joined : `${joined}?${query}`;
}
