/**
 * The environment of an MCP stdio child: an allow-list of harmless variables from the parent plus what
 * the caller passes. The parent's API keys and tokens never reach the child unless named explicitly.
 *
 * @module
 */

/**
 * Variables copied from the parent when set: the MCP SDK's own list (HOME, LOGNAME, PATH, SHELL, TERM,
 * USER; the Windows set on Windows) plus locale, temp dir and proxy-free basics.
 */
export const DEFAULT_CHILD_ENV_ALLOW_LIST: readonly string[] =
  process.platform === 'win32'
    ? [
        'APPDATA',
        'COMSPEC',
        'HOMEDRIVE',
        'HOMEPATH',
        'LOCALAPPDATA',
        'PATH',
        'PATHEXT',
        'PROCESSOR_ARCHITECTURE',
        'SYSTEMDRIVE',
        'SYSTEMROOT',
        'TEMP',
        'TMP',
        'USERNAME',
        'USERPROFILE',
        'PROGRAMFILES',
      ]
    : ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ'];

/** How to build a stdio child's environment. */
export interface ChildEnvOptions {
  /** Variables set in the child (win over inherited ones). */
  env?: Record<string, string>;
  /** More parent variables to copy by name (e.g. `['NODE_EXTRA_CA_CERTS']`). @default [] */
  inheritEnv?: readonly string[];
}

/**
 * The child's environment: allow-listed parent variables (values starting with `()`, shell function
 * exports, are dropped), then `inheritEnv` names, then `env`. Nothing else from `parentEnv`.
 */
export function childEnvironment(
  options: ChildEnvOptions,
  parentEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of [...DEFAULT_CHILD_ENV_ALLOW_LIST, ...(options.inheritEnv ?? [])]) {
    const value = parentEnv[key];
    if (value !== undefined && !value.startsWith('()')) result[key] = value;
  }
  return { ...result, ...options.env };
}
