import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { BIN, runCli, sh } from './cli.js';

/** What bash completes for the words typed so far, with the script `open-agent completion bash` prints. */
async function bashComplete(words: string[]): Promise<string> {
  const script = `source <("${process.execPath}" "${BIN}" completion bash); COMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; _open_agent; echo "\${COMPREPLY[@]}"`;
  const result = await sh(script, {});
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

describe('open-agent completion', () => {
  it('bash: completes subcommands and the flags of a subcommand', async () => {
    expect(await bashComplete(['open-agent', 'ch'])).toBe('chat');
    expect(await bashComplete(['open-agent', 'run', '--base'])).toBe('--base-url');
  });

  it('zsh and fish scripts name every subcommand; an unknown shell is a usage error', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef open-agent\n/);
    expect(zsh.stdout).toContain('compadd -- run chat models');
    const fish = await runCli(['completion', 'fish']);
    expect(fish.stdout).toContain("complete -c open-agent -n '__fish_seen_subcommand_from run' -l base-url");
    const bad = await runCli(['completion', 'tcsh']);
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toBe('error: unknown shell "tcsh"; use bash, zsh, fish\n');
  });
});
