// Flow definitions the call-flow tests build on.
import type { FlowComponent, FlowDefinition } from '@switchboard/shared';

export function component(
  id: string,
  type: FlowComponent['type'],
  settings: Record<string, unknown>,
  exits: Record<string, string | null> = {},
): FlowComponent {
  return { id, type, label: '', position: { x: 0, y: 0 }, settings, exits };
}

/** Welcome, then a menu: 1 → queue, 2 → goodbye and hang up; no key or a wrong one → hang up. */
export function menuFlow(queueId: number): FlowDefinition {
  return {
    start: 'greet',
    components: [
      component('greet', 'play', { prompts: [{ prompt: 'welcome' }] }, { next: 'menu' }),
      component(
        'menu',
        'menu',
        { prompts: [{ prompt: 'please-wait' }], choices: ['1', '2'], timeoutS: 5, attempts: 2 },
        { 'key:1': 'sales', 'key:2': 'bye', timeout: 'end', invalid: 'end' },
      ),
      component('sales', 'queue', { queueId }, { full: 'bye' }),
      component('bye', 'play', { prompts: [{ prompt: 'goodbye' }] }, { next: 'end' }),
      component('end', 'hangup', {}),
    ],
  };
}
