import type { ActiveCall } from '@switchboard/shared';
import { CallControlError } from '../call-control-error';
import type { CallControlContext, Viewer } from './call-control-context';

/** Hold, mute and DTMF on the agent's own call, and the agent's view of their calls. */
export class InCallControls {
  constructor(private readonly ctx: CallControlContext) {}

  hold(callId: string, viewer: Viewer, held: boolean): void {
    const { call, agent } = this.ctx.resolve(callId, viewer);
    this.ctx.connected(call, agent);
    this.ctx.mainParty(call, agent);
    if (this.ctx.consults.has(call.uuid))
      throw new CallControlError(409, 'consult_in_progress', 'The customer is on hold for a consult');
    const media = call.media!;
    if (media.inConference) throw new CallControlError(409, 'in_conference', 'The call is a conference');
    const leg = agent.leg!;
    if (held === media.isHeldBy(leg)) return;
    if (held) media.hold(leg);
    else media.resume(leg);
    call.publish(held ? 'held' : 'resumed');
  }

  mute(callId: string, viewer: Viewer, muted: boolean): void {
    const { call, agent } = this.ctx.resolve(callId, viewer);
    this.ctx.connected(call, agent);
    call.media!.mute(agent.leg!, muted);
  }

  async dtmf(callId: string, viewer: Viewer, digits: string): Promise<void> {
    const { call, agent } = this.ctx.resolve(callId, viewer);
    this.ctx.connected(call, agent);
    // In an answered consult the agent talks to the target (an IVR, say): the digits go there.
    const consult = this.ctx.consults.get(call.uuid);
    const to = consult?.by === agent && consult.state === 'answered' ? consult.target : call.other(agent);
    const leg = to.leg;
    if (!leg || leg.closed)
      throw new CallControlError(409, 'not_connected', 'The other party is not connected');
    // RFC 4733 §2.5: one event at a time, each with its own timestamp; sendDigit paces them.
    for (const d of digits.toUpperCase()) await leg.sendDigit(d);
  }

  async current(viewer: Viewer): Promise<ActiveCall[]> {
    const mask = await this.ctx.deps.settings.numberMaskerFor(viewer.role);
    const out: ActiveCall[] = [];
    for (const call of this.ctx.engine.calls.values()) {
      if (call.finished) continue;
      const me = [call.caller, call.callee, ...call.extra].find((p) => p.userId === viewer.id);
      if (!me) continue;
      const other = call.other(me);
      const consult = this.ctx.consults.get(call.uuid);
      const media = call.media;
      out.push({
        callId: call.uuid,
        state: call.state === 'connected' ? 'connected' : 'ringing',
        direction: call.direction,
        otherParty: mask(other.number),
        queue: call.queueName,
        startedAt: call.startedAt,
        answeredAt: call.answeredAt,
        held: !!(
          me.leg &&
          media &&
          (media.isHeldBy(me.leg) || (consult?.by === me && consult.state !== 'conference'))
        ),
        muted: !!(me.leg && media?.isMuted(me.leg)),
        consult: consult && consult.by === me ? { state: consult.state, target: consult.targetName } : null,
      });
    }
    return out;
  }
}
