import type { CallScripts } from '../switch/scripts/call-scripts';
import type { OriginateOptions, ScriptCall, ScriptCallInit } from '../switch/scripts/script-call';
import type { ScriptLeg } from '../switch/scripts/script-leg';
import type { DialContext } from './dialer';

/** A failed leg's status as a dial's outcome (`busy`, `no_answer`, `rejected`, else `failed`). */
export function legOutcome(status: string): string {
  if (status === 'busy' || status === 'no_answer' || status === 'rejected') return status;
  return 'failed';
}

/**
 * Runs a dialer job's call as a call script: the call is written on the job (`ctx.placing`) before
 * its first leg is originated, and `script`'s outcome comes back once the call has ended and its
 * records are written. Null: another node took the job over, and nobody was dialled.
 */
export async function runPlacedCall(
  scripts: CallScripts,
  ctx: DialContext,
  init: ScriptCallInit,
  script: (call: ScriptCall) => Promise<string>,
): Promise<string | null> {
  let outcome: string | null = 'failed';
  const call = await scripts.run(init, async (c) => {
    if (!(await ctx.placing(c.cdrId))) {
      outcome = null;
      return;
    }
    outcome = await script(c);
  });
  await scripts.whenEnded(call);
  return outcome;
}

/**
 * Agent first, once the agent has answered: the customer is dialled while the agent hears ringing;
 * on answer `reached` runs and both are bridged (`answered`), else the agent is told why (busy, no
 * answer, failed) and the outcome returned.
 */
export async function dialCustomerForAgent(
  call: ScriptCall,
  agent: ScriptLeg,
  customer: OriginateOptions,
  reached?: () => void,
): Promise<string> {
  const leg = call.originate({ ...customer, role: 'customer' });
  const stopRingback = agent.ringback();
  const status = await leg.outcome();
  stopRingback();
  if (status !== 'connected') {
    await agent.play(
      status === 'busy' ? 'number-busy' : status === 'no_answer' ? 'no-answer' : 'call-failed',
    );
    return legOutcome(status);
  }
  reached?.();
  await call.bridge(agent, leg);
  return 'answered';
}
