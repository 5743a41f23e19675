// An open-agent CLI plugin: a tool and a preset (docs/plugins.md).
//
//   mkdir -p ~/.config/open-agent/plugins && cp examples/plugins/dice.mjs ~/.config/open-agent/plugins/
//   open-agent config                        # lists: dice  …/dice.mjs: tools roll_dice; presets gpu-box
//   open-agent run "Roll two six-sided dice" --tools roll_dice
//   open-agent run "Hello" --provider gpu-box --model qwen3:8b
//
// The default export is a function: the CLI calls it with the SDK (`sdk`, and `provider` for
// defineProvider), so this file needs no node_modules of its own.
import { randomInt } from 'node:crypto';

export default ({ sdk }) => ({
  name: 'dice',
  tools: [
    sdk.tool({
      name: 'roll_dice',
      description: 'Roll dice and return each result and the sum.',
      parameters: {
        type: 'object',
        properties: {
          count: { type: 'integer', minimum: 1, maximum: 20, description: 'How many dice' },
          sides: { type: 'integer', minimum: 2, maximum: 1000, description: 'Sides per die' },
        },
        required: ['count', 'sides'],
        additionalProperties: false,
      },
      execute: ({ args }) => {
        const rolls = Array.from({ length: args.count }, () => randomInt(1, args.sides + 1));
        return JSON.stringify({ rolls, sum: rolls.reduce((a, b) => a + b, 0) });
      },
    }),
  ],
  // A vLLM server on another machine of the LAN, usable as `--provider gpu-box`.
  presets: [
    {
      name: 'gpu-box',
      label: 'vLLM on the GPU box',
      api: 'openai-chat',
      baseUrl: 'http://192.168.1.50:8000/v1',
      compat: { reasoningField: 'reasoning_content' },
    },
  ],
});
