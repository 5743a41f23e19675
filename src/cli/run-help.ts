import { DEFAULT_MAX_TURNS } from './run-options.js';

/** Descriptions of the `open-agent run` flags, shown by `--help`. */
export const RUN_FLAG_HELP = {
  prompt: 'the prompt; "-" (or no prompt with stdin not a terminal) reads it from stdin',
  system: 'system prompt (the request carries exactly one system message)',
  maxTokens: 'output token limit per model call (positive integer)',
  temperature: 'sampling temperature, 0 to 2',
  maxTurns: `model calls allowed in this run (positive integer, default ${DEFAULT_MAX_TURNS})`,
  output: 'text (default), json or stream-json',
  session:
    'continue the saved session NAME (created when missing) and append this run to it; see "open-agent sessions"',
  mcp: 'offer the tools of the MCP servers in FILE (Claude Desktop, Cursor or VS Code JSON)',
  agent:
    "run the agent NAME of the config file's `agents` (its instructions, tools, model and handoffs; --system and --tools replace its own)",
} as const;

/** The text after the flag list in `open-agent run --help`. */
export const RUN_HELP_AFTER = `
Settings come from flags, then the environment, then the config file
(./open-agent.config.yaml, else ~/.config/open-agent/config.yaml), then the --provider preset.
Without any server named, the standard local ports on 127.0.0.1 are probed (Ollama 11434,
LM Studio 1234, llama.cpp 8080, vLLM 8000); the server found is named on stderr.

Environment:
  OPENAI_BASE_URL  base URL when --base-url is absent
  OPENAI_MODEL     model id when --model is absent
  OPENAI_API_KEY   API key when no --api-key or --api-key-file is given. Sent only to the origin
                   of OPENAI_BASE_URL or to https://api.openai.com, never to another server.
                   Without a key, no Authorization header is sent.
  ANTHROPIC_API_KEY, OPENROUTER_API_KEY
                   keys sent only to their own preset's origin
  OPEN_AGENT_CONFIG  config file to read instead of the default locations
  OPEN_AGENT_SESSIONS_DIR
                   where --session keeps sessions (default $XDG_DATA_HOME/open-agent/sessions,
                   else ~/.local/share/open-agent/sessions; files mode 0600)
  NO_COLOR         when set, reasoning on a terminal is not dimmed; its lines start with "| "

Output (--output):
  text         The answer streams to stdout and ends with a newline. Reasoning goes to stderr
               (dimmed) only when stderr is a terminal, otherwise it is not printed. A failed run
               prints "error: MESSAGE" on stderr.
  json         One JSON document at the end, also when the run failed:
                 {"messages": [the user prompt, then each assistant message], "text": last answer,
                  "stopReason": ..., "usage": {summed over the run},
                  "errorMessage": only when the run failed,
                  "session": the --session name, when given}
  stream-json  One JSON object per line, as it happens: first
                 {"type":"run_start","model":...,"provider":...,"baseUrl":...}
               then every model event with "turn" (1-based): start, text_delta, thinking_delta,
               toolcall_delta, ..., done or error; last
                 {"type":"run_end","stopReason":...,"usage":{...},"text":...}
               (plus "errorMessage" when the run failed).
               A handoff (--agent) adds {"type":"handoff","turn":...,"from":...,"to":...}; a
               repair turn after an answer that fails --schema adds
                 {"type":"output_repair","turn":...,"attempt":...,"maxRepairs":...,"issues":...}.
               New line types will be added: ignore types you do not know.

Agents and structured output:
  --agent NAME     runs an agent of the config file's \`agents\`; when it hands the conversation
                   to another agent, text output says "→ handoff to NAME" on stderr.
  --schema FILE    the answer must match the JSON Schema in FILE; an answer that does not gets up
                   to --schema-repairs N repair turns (default 2), then the run fails (exit 1,
                   "outputError" in the JSON document).

Tools:
  The read-only built-in tools (read_file, list_directory, search_files) are on by default,
  confined to --cwd (default: the current directory). --allow-write adds write_file and
  edit_file, --allow-commands adds run_command (no shell, reduced environment, time limit;
  on timeout, Ctrl-C or exit the command's whole process group is stopped, TERM then KILL);
  on a terminal each such call asks first (--yes skips the question). --tools LIST picks
  tools, --no-tools sends none: then tool calls end the run with stopReason "toolUse"
  (exit 0) and a warning on stderr. stream-json adds tool_execution_start and
  tool_execution_end lines.

Secrets (what is and is not defended):
  --api-key KEY        argv is visible to every local user (ps, /proc/PID/cmdline) while the CLI
                       starts; the CLI then overwrites its command line, but the key was exposed.
  --api-key-file PATH  read from a file (keep it mode 600): held only in the CLI's memory.
  --api-key -          read from the first line of stdin; the rest of stdin is the prompt
                       (run -) or the chat input. Refused when stdin is a terminal.
  OPENAI_API_KEY etc.  an exported variable stays in the CLI's /proc/PID/environ, readable by
                       every process of the same user, including commands the model runs.
  Commands (run_command) are started by a separate spawner process with an empty environment, so
  their parent ($PPID) holds no key; they get only PATH, HOME, LANG, TERM, USER, LOGNAME, SHELL,
  TMPDIR. They run as your user: anything your user can read, they can read.

Exit codes:
  0  the model finished: stopReason stop, length or toolUse (also when --max-turns was reached)
  1  the run failed or was interrupted: stopReason error or aborted (connection refused,
     HTTP error, content filter, Ctrl-C)
  2  bad flags or no prompt; nothing was sent

Examples:
  open-agent run "Why is the sky blue?" --base-url http://localhost:11434/v1 --model qwen3:8b
  open-agent run "Hello" --base-url http://localhost:1234/v1 --model qwen/qwen3-8b --output json
  cat question.txt | open-agent run - --base-url http://localhost:1234/v1 --model qwen/qwen3-8b
  open-agent run "Where is the config parsed?" --cwd ./my-project
  open-agent run "Fix the typo in README.md" --allow-write
`;
