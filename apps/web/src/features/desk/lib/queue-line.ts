import type { AgentStatus } from '@switchboard/shared';

export const agentStatusLabel: Record<AgentStatus, string> = {
  logged_out: 'Offline',
  idle: 'Idle',
  paused: 'Paused',
  on_call: 'On a call',
  wrapup: 'Wrap-up',
};

/**
 * A queue's line on the State card, said as the card's status says it: during a call or its
 * wrap-up every line leads with that (a paused queue adds its pause, which resumes after), so the
 * card never reads "On a call" over a line that says only "Idle" or "Paused".
 */
export function queueLineLabel(
  status: AgentStatus,
  queue: { paused: boolean; reason: string | null },
): string {
  const busy = status === 'on_call' || status === 'wrapup';
  if (!queue.paused) return busy ? agentStatusLabel[status] : 'Idle';
  const pause = `Paused${queue.reason ? ` · ${queue.reason}` : ''}`;
  return busy ? `${agentStatusLabel[status]} · then ${pause.toLowerCase()}` : pause;
}
