import type { LiveEvent } from '@switchboard/shared';

/**
 * Query-key prefixes the features use for data a live event changes. Features build their keys
 * from these so the stream can refresh them without knowing the features.
 */
export const liveQueryKeys = {
  cdr: ['cdr'] as const,
  agentState: ['agent-state'] as const,
  agents: ['agents'] as const,
  callbackPlans: ['callback-plans'] as const,
  queues: ['queues'] as const,
  registration: ['registration'] as const,
  currentCalls: ['current-calls'] as const,
  monitoring: ['monitoring'] as const,
  callbackBreaker: ['callback-breaker'] as const,
  trunks: ['admin', 'trunks'] as const,
  campaigns: ['campaigns'] as const,
};

/** Which caches an event makes stale. */
export function invalidationsFor(event: LiveEvent): (readonly string[])[] {
  switch (event.type) {
    case 'call':
      return event.state === 'ended' || event.state === 'transferred'
        ? [liveQueryKeys.cdr, liveQueryKeys.agents, liveQueryKeys.currentCalls]
        : [liveQueryKeys.agents, liveQueryKeys.currentCalls];
    case 'consult':
      return [liveQueryKeys.currentCalls, liveQueryKeys.agents];
    case 'agent_state':
      return [liveQueryKeys.agentState, liveQueryKeys.agents];
    case 'callback_plan':
      return [liveQueryKeys.callbackPlans];
    case 'queue_waiting':
    case 'queue_agents':
      return [liveQueryKeys.queues];
    case 'registration':
      return [liveQueryKeys.agents, liveQueryKeys.registration];
    case 'call_leg':
      return event.status === 'ended' ? [liveQueryKeys.cdr] : [];
    case 'wallboard':
      // The wallboard page takes the figures from the event itself.
      return [];
    case 'monitor':
      return [liveQueryKeys.monitoring, liveQueryKeys.agents];
    case 'callback_breaker':
      return [liveQueryKeys.callbackBreaker];
    case 'trunk_state':
      return [liveQueryKeys.trunks];
    case 'campaign':
    // The campaign's task is dialling: its status in the campaign's lists changed.
    case 'campaign_call':
      return [liveQueryKeys.campaigns];
    case 'web_callback':
    // Only a portal subscriber's stream carries these; the portal updates its own caches.
    case 'flow_step':
    // The flow editor follows these itself (its live counters and a test call's path).
    case 'import_progress':
    // The import dialog shows these; the task list is refreshed when the import answers.
    case 'node_drain':
      // The softphone moves the desk to another node (use-node-drain.ts); no cached data changed.
      return [];
  }
}
