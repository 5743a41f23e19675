import { Command } from 'commander';
import { EXIT_CODES } from './exit-codes.js';

/** The shells `open-agent completion` writes scripts for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;

/** Subcommands and flags the scripts offer, taken from the program itself. */
export interface CompletionWords {
  commands: string[];
  /** Long flags of each subcommand. */
  flags: Record<string, string[]>;
}

/** The words of `program`: subcommand names and each one's long flags. */
export function completionWords(program: Command): CompletionWords {
  const flags: Record<string, string[]> = {};
  for (const command of program.commands) {
    flags[command.name()] = command.options.flatMap((o) => (o.long !== undefined ? [o.long] : []));
  }
  return { commands: program.commands.map((c) => c.name()), flags };
}

function bashScript(words: CompletionWords): string {
  const cases = Object.entries(words.flags)
    .map(([name, flags]) => `    ${name}) opts="${flags.join(' ')} --help" ;;`)
    .join('\n');
  return `# open-agent completion for bash: source <(open-agent completion bash)
_open_agent() {
  local cur=\${COMP_WORDS[COMP_CWORD]} opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${words.commands.join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    *) opts="--help" ;;
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _open_agent open-agent
`;
}

function zshScript(words: CompletionWords): string {
  const cases = Object.entries(words.flags)
    .map(
      ([name, flags]) =>
        `    ${name}) _arguments ${flags.map((f) => `'${f}[]'`).join(' ')} '*:file:_files' ;;`,
    )
    .join('\n');
  return `#compdef open-agent
# open-agent completion for zsh: open-agent completion zsh > "\${fpath[1]}/_open-agent"
_open_agent() {
  if (( CURRENT == 2 )); then
    compadd -- ${words.commands.join(' ')}
    return
  fi
  shift words; (( CURRENT-- ))
  case "$words[1]" in
${cases}
  esac
}
compdef _open_agent open-agent
`;
}

function fishScript(words: CompletionWords): string {
  const lines = [
    '# open-agent completion for fish: open-agent completion fish > ~/.config/fish/completions/open-agent.fish',
    `complete -c open-agent -n __fish_use_subcommand -f -a '${words.commands.join(' ')}'`,
  ];
  for (const [name, flags] of Object.entries(words.flags)) {
    for (const flag of flags)
      lines.push(
        `complete -c open-agent -n '__fish_seen_subcommand_from ${name}' -l ${flag.replace(/^--/, '')}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The `completion` command: prints a completion script for bash, zsh or fish (subcommands and their long
 * flags, file names elsewhere). `program` is read when the command runs, so every subcommand is included.
 */
export function createCompletionCommand(program: () => Command): Command {
  return new Command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', COMPLETION_SHELLS.join(', '))
    .action((shell: string) => {
      const words = completionWords(program());
      if (shell === 'bash') process.stdout.write(bashScript(words));
      else if (shell === 'zsh') process.stdout.write(zshScript(words));
      else if (shell === 'fish') process.stdout.write(fishScript(words));
      else {
        process.stderr.write(
          `error: unknown shell ${JSON.stringify(shell)}; use ${COMPLETION_SHELLS.join(', ')}\n`,
        );
        process.exitCode = EXIT_CODES.usage;
      }
    });
}
