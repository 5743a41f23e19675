// Multi-agent triage: a triage agent hands the conversation to a billing or a refunds specialist; the
// refunds agent's tool needs no approval below 100 €; an input guardrail blocks abuse before any tool runs.
// Run: node examples/11-triage.mjs "I was charged twice for order A7, please refund it"
import {
  defineAgent,
  handoff,
  InputGuardrailTripwireTriggered,
  removeAllTools,
  run,
  tool,
} from 'open-agent-sdk';
import { exampleModel } from './_model.mjs';

const model = await exampleModel();

const issueRefund = tool({
  name: 'issue_refund',
  description: 'Refund an order.',
  parameters: {
    type: 'object',
    properties: { order: { type: 'string' }, euros: { type: 'number' } },
    required: ['order'],
  },
  needsApproval: ({ args }) => Number(args?.euros ?? 0) >= 100,
  execute: ({ args }) => `Refunded order ${args.order}.`,
});

const billing = defineAgent({
  name: 'billing',
  handoffDescription: 'Invoices, payment methods, charges.',
  instructions: 'You are the billing specialist. Answer in two sentences.',
  model,
});
const refunds = defineAgent({
  name: 'refunds',
  handoffDescription: 'Refunds of orders.',
  instructions: 'You are the refunds specialist. Use issue_refund, then confirm in one sentence.',
  model,
  tools: [issueRefund],
});
const triage = defineAgent({
  name: 'triage',
  instructions: 'You are the front desk. Hand the customer to billing or refunds; do not answer yourself.',
  model,
  handoffs: [billing, handoff(refunds, { inputFilter: removeAllTools })],
  inputGuardrails: [
    {
      name: 'no_abuse',
      execute: ({ input }) => ({ tripwireTriggered: /\bidiot\b/i.test(JSON.stringify(input)) }),
    },
  ],
});

const question = process.argv[2] ?? 'I was charged twice for order A7, please refund it';
const result = run(triage, question);
for await (const event of result) {
  if (event.type === 'handoff') console.log(`[${event.from} -> ${event.to}]`);
  if (event.type === 'tool_execution_end' && !event.toolName.startsWith('transfer_to_'))
    console.log(`[${event.agent} ran ${event.toolName}]`);
}
const outcome = await result;
if (InputGuardrailTripwireTriggered.isInstance(outcome.error)) {
  console.log(`Blocked by the ${outcome.error.guardrail} guardrail.`);
} else if (outcome.status === 'interrupted') {
  console.log(`Waiting for approval: ${outcome.interruptions.map((c) => c.toolName).join(', ')}`);
} else {
  console.log(`${outcome.lastAgent.name}: ${outcome.finalOutput ?? outcome.error?.message}`);
}
