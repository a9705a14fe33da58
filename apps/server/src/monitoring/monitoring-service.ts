import type {
  MonitorableCall,
  MonitoringSettings,
  MonitorMode,
  MonitorSession,
  Role,
} from '@switchboard/shared';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import { CallControlError } from '../switch/calls/call-control-error';
import type { CallMonitor } from '../switch/calls/call-monitor';
import { MonitoringStore } from './monitoring-store';

export interface MonitoringViewer {
  id: number;
  role: Role;
}

/**
 * The rules around call monitoring (docs/supervisor.md): only administrators, and supervisors of a
 * queue the call belongs to (the call's queue, or for a direct call the agent's queues), may listen,
 * whisper or barge; every start, mode change and end by the supervisor is audited.
 */
export class MonitoringService {
  readonly store: MonitoringStore;

  constructor(
    private readonly db: Db,
    private readonly monitor: CallMonitor,
  ) {
    this.store = new MonitoringStore(db);
  }

  private async allowed(callId: string, viewer: MonitoringViewer): Promise<void> {
    const { call, agent } = this.monitor.target(callId);
    if (viewer.role !== 'supervisor' && viewer.role !== 'admin')
      throw new CallControlError(403, 'forbidden', 'Only supervisors and administrators may monitor calls');
    const mine = new Set(await this.store.queuesOf(viewer.id));
    if (!(await this.mayMonitor(viewer, mine, call.init.queueId ?? null, agent.userId!)))
      throw new CallControlError(403, 'forbidden', 'You do not supervise a queue this call belongs to');
  }

  private async mayMonitor(
    viewer: MonitoringViewer,
    mine: Set<number>,
    queueId: number | null,
    agentUserId: number,
  ): Promise<boolean> {
    if (viewer.role === 'admin') return true;
    const callQueues = queueId !== null ? [queueId] : await this.store.queuesOf(agentUserId);
    return callQueues.some((q) => mine.has(q));
  }

  /** The live calls the viewer may monitor (an agent: none). */
  async monitorable(viewer: MonitoringViewer): Promise<MonitorableCall[]> {
    if (viewer.role === 'agent') return [];
    const mine = new Set(await this.store.queuesOf(viewer.id));
    const out: MonitorableCall[] = [];
    for (const c of this.monitor.live()) {
      if (c.agent.userId === viewer.id) continue;
      if (!(await this.mayMonitor(viewer, mine, c.queueId, c.agent.userId!))) continue;
      out.push({
        callId: c.callId,
        agentUserId: c.agent.userId!,
        agentName: c.agent.extension?.displayName ?? c.agent.number ?? '',
        queue: c.queue,
        answeredAt: c.answeredAt,
        session: this.monitor.session(c.callId, viewer.id),
      });
    }
    return out;
  }

  async start(callId: string, viewer: MonitoringViewer, mode: MonitorMode): Promise<MonitorSession> {
    await this.allowed(callId, viewer);
    const me = await this.store.monitorer(viewer.id);
    if (!me) throw new CallControlError(409, 'no_extension', 'You have no extension to be called on');
    const { agentIndicator } = await this.store.settings();
    const session = this.monitor.start(callId, me, mode, agentIndicator);
    await this.audit(viewer, 'call.monitor.start', callId, { mode });
    return session;
  }

  async setMode(callId: string, viewer: MonitoringViewer, mode: MonitorMode): Promise<MonitorSession> {
    const before = this.monitor.session(callId, viewer.id);
    const session = this.monitor.setMode(callId, viewer.id, mode);
    await this.audit(
      viewer,
      'call.monitor.mode',
      callId,
      { mode },
      before ? { mode: before.mode } : undefined,
    );
    return session;
  }

  async stop(callId: string, viewer: MonitoringViewer): Promise<void> {
    this.monitor.stop(callId, viewer.id);
    await this.audit(viewer, 'call.monitor.stop', callId, undefined);
  }

  settings(): Promise<MonitoringSettings> {
    return this.store.settings();
  }

  async setSettings(viewer: MonitoringViewer, value: MonitoringSettings): Promise<void> {
    const before = await this.store.settings();
    await this.store.setSettings(value);
    await recordAudit(this.db, {
      actor: { kind: 'user', id: viewer.id },
      action: 'settings.update',
      entity: 'settings',
      entityId: 'monitoring',
      before,
      after: value,
    });
  }

  private audit(viewer: MonitoringViewer, action: string, callId: string, after: unknown, before?: unknown) {
    return recordAudit(this.db, {
      actor: { kind: 'user', id: viewer.id },
      action,
      entity: 'call',
      entityId: callId,
      before,
      after,
    });
  }
}
