import type { CallbackPlanMode } from '@switchboard/shared';

export const planModeLabels: Record<CallbackPlanMode, string> = {
  remind: 'Remind me',
  agent_first: 'Auto-dial: my phone first',
  customer_first: 'Auto-dial: customer first',
};

export const attemptOutcomeLabels: Record<string, string> = {
  answered: 'Answered',
  busy: 'Busy',
  no_answer: 'No answer',
  rejected: 'Rejected',
  failed: 'Failed',
  agent_unavailable: 'Agent not available',
  do_not_call: 'On the do-not-call list',
  interrupted: 'Cut by a server restart',
  no_number: 'No number',
};
