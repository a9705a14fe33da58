import type { MonitoringSettings, MonitorMode, MonitorSession, Role } from '@switchboard/shared';
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
    if (viewer.role === 'admin') return;
    if (viewer.role !== 'supervisor')
      throw new CallControlError(403, 'forbidden', 'Only supervisors and administrators may monitor calls');
    const callQueues =
      call.init.queueId != null ? [call.init.queueId] : await this.store.queuesOf(agent.userId!);
    const mine = new Set(await this.store.queuesOf(viewer.id));
    if (!callQueues.some((q) => mine.has(q)))
      throw new CallControlError(403, 'forbidden', 'You do not supervise a queue this call belongs to');
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
