import { defineAgent, type Model, tool } from '../../src/index.js';

/** The triage graph of the scenarios: triage hands off to billing or refunds; refunds can issue a refund. */
export function triageGraph(model: Model, ran: string[] = []) {
  const issueRefund = tool({
    name: 'issue_refund',
    parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
    execute: ({ args }) => {
      ran.push('issue_refund');
      return `refunded ${(args as { order: string }).order}`;
    },
  });
  const billing = defineAgent({
    name: 'billing',
    instructions: 'You are billing.',
    model,
    handoffDescription: 'Invoices.',
  });
  const refunds = defineAgent({
    name: 'refunds',
    instructions: 'You are refunds.',
    model,
    tools: [issueRefund],
  });
  const triage = defineAgent({
    name: 'triage',
    instructions: 'You are triage.',
    model,
    handoffs: [billing, refunds],
  });
  return { triage, billing, refunds };
}
