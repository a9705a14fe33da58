import type { TransferTarget, TransferTargets, UserTarget } from '@switchboard/shared';
import { type B2buaCall, Party } from '../b2bua-call';
import { CallControlError } from '../call-control-error';
import { callIdHeader, contactTarget, fromAddress, trunkTarget } from '../dial-targets';
import type { CallControlContext, QueuePlan, RingPlan, Viewer } from './call-control-context';

export /** Target states a transfer or consult is refused in (the lists show them unavailable). */
const refusedTargetStates: Record<string, string> = {
  paused: 'is paused',
  wrapup: 'is wrapping up a call',
  on_call: 'is on a call',
  // Their phone is still registered, but they signed out of the desk: not taking calls.
  logged_out: 'is signed out of the desk (not taking calls)',
};

/**
 * Who and where a call can be passed on to: the transfer lists of the desk (with why a user is not
 * available), and the ring plan of a user, an outside number or a queue, checked before anything
 * changes.
 */
export class TransferTargetResolver {
  constructor(private readonly ctx: CallControlContext) {}

  private async userRows() {
    return this.ctx.deps.db
      .selectFrom('users')
      .leftJoin('extensions', 'extensions.user_id', 'users.id')
      .select(['users.id', 'users.display_name', 'users.username', 'users.role', 'extensions.number'])
      .where('users.role', 'in', ['agent', 'supervisor', 'admin'])
      .orderBy('users.display_name')
      .execute();
  }

  /** Online (registered, logged in) and free, or why not. */
  availability(userId: number, extension: string | null, self: number): string | null {
    if (userId === self) return 'self';
    if (!extension || !this.ctx.deps.registrar.isRegistered(extension)) return 'offline';
    for (const call of this.ctx.engine.calls.values())
      if ([call.caller, call.callee, ...call.extra].some((p) => p.userId === userId)) return 'on_call';
    const rec = this.ctx.deps.agents.board.get(userId);
    if (!rec) return null;
    if (rec.status === 'idle') return null;
    return rec.status;
  }

  async transferTargets(callId: string, viewer: Viewer): Promise<TransferTargets> {
    const { call } = this.ctx.resolve(callId, viewer);
    const rows = await this.userRows();
    const members = await this.ctx.deps.db
      .selectFrom('queue_members')
      .select(['queue_id', 'user_id'])
      .execute();
    const queueIds =
      call.init.queueId != null
        ? new Set([call.init.queueId])
        : new Set(members.filter((m) => m.user_id === viewer.id).map((m) => m.queue_id));
    const inQueue = new Set(members.filter((m) => queueIds.has(m.queue_id)).map((m) => m.user_id));
    const result: TransferTargets = { supervisors: [], queueAgents: [], others: [], queues: [] };
    const seen = new Set<number>();
    for (const r of rows) {
      if (r.id === viewer.id || seen.has(r.id)) continue;
      seen.add(r.id);
      const reason = this.availability(r.id, r.number, viewer.id);
      const target: UserTarget = {
        userId: r.id,
        name: r.display_name || r.username,
        extension: r.number,
        role: r.role as UserTarget['role'],
        available: reason === null,
        unavailableReason: reason,
      };
      if (r.role !== 'agent') result.supervisors.push(target);
      else if (inQueue.has(r.id)) result.queueAgents.push(target);
      else result.others.push(target);
    }
    const queues = await this.ctx.deps.db
      .selectFrom('queues')
      .select(['id', 'name'])
      .orderBy('name')
      .execute();
    for (const q of queues) {
      if (!this.ctx.deps.queues.dispatcher(q.id)) continue;
      result.queues.push({
        queueId: q.id,
        name: q.name,
        agentsAvailable: this.ctx.deps.queues.agentsAvailable(q.id),
        waiting: this.ctx.deps.queues.waitingCount(q.id),
      });
    }
    return result;
  }

  private async userTarget(userId: number, self: number | null) {
    if (userId === self)
      throw new CallControlError(409, 'target_unavailable', 'You cannot transfer to yourself');
    const row = await this.ctx.deps.db
      .selectFrom('extensions')
      .select('number')
      .where('user_id', '=', userId)
      .orderBy('id')
      .executeTakeFirst();
    const info = row ? await this.ctx.engine.router.extension(row.number) : null;
    const contacts = info ? this.ctx.engine.router.contacts(info.number) : [];
    if (!info || contacts.length === 0)
      throw new CallControlError(409, 'target_unavailable', 'That user is not online (no registered phone)');
    // The same rule as the target lists: someone paused, wrapping up or on a call said "not now".
    const busy = refusedTargetStates[this.availability(userId, info.number, self ?? -1) ?? ''];
    if (busy) throw new CallControlError(409, 'target_unavailable', `That user ${busy}`);
    return { info, targets: contacts.map(contactTarget) };
  }

  private outsideTarget(number: string, agent: Party) {
    const e164 = this.ctx.engine.router.e164(number);
    if (!e164) throw new CallControlError(400, 'invalid_number', 'to.number: not a valid phone number');
    const trunk = this.ctx.engine.router.trunk();
    const target = trunk ? trunkTarget(trunk, e164) : null;
    if (!trunk || !target)
      throw new CallControlError(409, 'no_trunk', 'No trunk is available for outside calls');
    const { from, headers } = this.ctx.engine.presentToCarrier(trunk, agent.extension);
    return { e164, target, from, headers };
  }

  /** The ring plan for a user or an outside number; throws (changing nothing) when impossible. */
  async ringPlan(
    call: B2buaCall,
    agent: Party,
    to: Exclude<TransferTarget, { kind: 'queue' }>,
    presentAs: 'customer' | 'agent',
  ): Promise<RingPlan> {
    if (to.kind === 'user') {
      const { info, targets } = await this.userTarget(to.userId, agent.userId);
      const customer = call.other(agent);
      const from =
        presentAs === 'customer'
          ? await this.ctx.engine.presentTo(info, customer.number, 'anonymous')
          : fromAddress(
              this.ctx.engine.context.stack,
              agent.number ?? 'anonymous',
              agent.extension?.displayName,
            );
      return {
        targets,
        from,
        to: `<sip:${info.number}@${this.ctx.engine.context.stack.host}>`,
        headers: [callIdHeader(call.uuid)],
        party: () => new Party('agent', info.number, info),
        label: `${info.number}${info.displayName ? ` ${info.displayName}` : ''}`,
        legRole: info.role === 'agent' ? 'destination' : 'supervisor',
      };
    }
    const out = this.outsideTarget(to.number, agent);
    return {
      targets: [out.target],
      from: out.from,
      to: `<${out.target.uri}>`,
      headers: out.headers,
      party: () => new Party('customer', out.e164),
      label: out.e164,
      legRole: 'destination',
    };
  }

  async queuePlan(queueId: number): Promise<QueuePlan> {
    const d = this.ctx.deps.queues.dispatcher(queueId);
    if (!d) throw new CallControlError(409, 'target_unavailable', 'No such queue');
    return { kind: 'queue', queueId, name: d.queueConfig.name };
  }
}
