import { statSync } from 'node:fs';
import path from 'node:path';
import { LocalMediaPlane, type MediaEngineOptions, type MediaPlane, MediaWorker } from '@switchboard/media';
import type { AgentStateService } from '../agents/agent-state-service';
import type { Config } from '../config';
import type { Db } from '../db/database';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { QueueService } from '../queues/queue-service';
import type { SettingsStore } from '../settings/settings-store';
import { CallRecords, type CallRecordsOptions } from './call-records';
import { AgentReconnect } from './calls/agent-reconnect';
import { CallControl } from './calls/call-control';
import { CallEngine } from './calls/call-engine';
import { CallMonitor } from './calls/call-monitor';
import { QueueCalls } from './calls/queue-calls';
import { NodeHeartbeat } from './node-heartbeat';
import { CallScripts } from './scripts/call-scripts';
import type { SipService } from './sip-service';
import type { TrunkManager } from './trunks/trunk-manager';
import { issueIceServers } from './turn-credentials';

export interface SwitchTimings {
  /** No answer within this → CANCEL, disposition unanswered (default 30 s). */
  ringTimeoutMs?: number;
  /** No RTP from a side for this long ends the call (default 30 s; held calls are exempt). */
  inactivityTimeoutMs?: number;
  /** Call record write deadline and journal retry waits (tests shorten them). */
  callRecords?: Pick<CallRecordsOptions, 'writeTimeoutMs' | 'retry'>;
}

/** What the switch is built from: its SIP side and trunks, and the application services it drives. */
export interface SwitchParts {
  config: Config;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  events: EventBus;
  settings: SettingsStore;
  sip: SipService;
  trunks: TrunkManager;
  agents: AgentStateService;
  queues: QueueService;
}

/**
 * Recordings a crash left behind: the media package's repair (run by MediaEngine) fixed the WAV
 * headers; here the rows still saying `recording` get the repaired length and size.
 */
export async function recoverRecordingRows(db: Db, recordingsDir: string): Promise<number> {
  const rows = await db
    .selectFrom('recordings')
    .select(['id', 'path'])
    .where('status', '=', 'recording')
    .execute();
  for (const r of rows) {
    let size = 0;
    try {
      size = statSync(path.resolve(recordingsDir, r.path)).size;
    } catch {
      // nothing on disk: the row stays with zero length
    }
    const durationMs = Math.max(0, Math.round(((size - 44) / 4 / 8000) * 1000));
    await db
      .updateTable('recordings')
      .set({ status: 'repaired', size_bytes: size, duration_ms: durationMs })
      .where('id', '=', r.id)
      .execute();
  }
  return rows.length;
}

/** Who the media plane's short-lived TURN credentials name (coturn logs it with each allocation). */
const MEDIA_PLANE_TURN_LABEL = 'switchboard-media';

/**
 * Renews the media plane's short-lived TURN credentials when half their life has gone, so WebRTC
 * legs always start with a credential that outlives a long call. Nothing to do without a TURN secret.
 */
function renewMediaTurnCredentials(config: Config, media: MediaPlane): () => void {
  if (!config.turnRest) return () => {};
  const timer = setInterval(
    () => media.setIceServers(issueIceServers(config, MEDIA_PLANE_TURN_LABEL, Date.now()).iceServers),
    config.turnRest.ttlMs / 2,
  ).unref();
  return () => clearInterval(timer);
}

/** The media plane: a worker thread (default) or the switch's own thread. */
async function startMedia(parts: SwitchParts, timings: SwitchTimings): Promise<MediaPlane> {
  const { config, logger } = parts;
  const options: MediaEngineOptions = {
    bindAddress: config.sip.host,
    publicAddress: config.sip.publicAddress,
    portMin: config.rtp.portMin,
    portMax: config.rtp.portMax,
    recordingsDir: config.recordingsDir,
    inactivityTimeoutMs: timings.inactivityTimeoutMs,
    iceServers: issueIceServers(config, MEDIA_PLANE_TURN_LABEL, Date.now()).iceServers,
  };
  if (config.mediaThread === 'worker') {
    // In a worker, packet handling, SRTP and the 20 ms clock never delay SIP and HTTP (and vice versa).
    const worker = await MediaWorker.start(options);
    worker.onRestart = (err) =>
      logger.error(
        { err },
        'media worker stopped: its calls lost their media; a new worker serves new calls',
      );
    return worker;
  }
  const local = new LocalMediaPlane(options);
  await local.warmUp();
  return local;
}

/**
 * The SIP switch as one object: registrar and SIP stack, trunks, router, media plane, call records,
 * the B2BUA call engine with its queue side, call control, agent reconnect and call scripts. Built
 * from its parts in one place, started and stopped as one. See NOTES.md beside this file.
 */
export class Switch {
  readonly records: CallRecords;
  /** "This node is alive", every 2 s: where an unclean stop's open calls end. */
  readonly heartbeat: NodeHeartbeat;
  readonly engine: CallEngine;
  readonly scripts: CallScripts;
  private stopTurnRenewal: () => void = () => {};
  readonly queueCalls: QueueCalls;
  readonly control: CallControl;
  readonly reconnect: AgentReconnect;
  /** Supervisors listening, whispering or barging on live calls. */
  readonly monitor: CallMonitor;
  private stopped = false;

  private constructor(
    private readonly parts: SwitchParts,
    readonly media: MediaPlane,
    timings: SwitchTimings,
  ) {
    const { config, db, logger, metrics, events, settings, sip, trunks, agents, queues } = parts;
    const ringTimeoutMs = timings.ringTimeoutMs ?? 30_000;
    this.records = new CallRecords(db, config.nodeId, Date.now, {
      journalFile:
        config.database.kind === 'sqlite' && config.database.file === ':memory:'
          ? null
          : config.callRecordsJournal,
      logger,
      ...timings.callRecords,
    });
    this.heartbeat = new NodeHeartbeat(db, config.nodeId, logger);
    this.engine = new CallEngine({
      stack: sip.stack,
      media,
      records: this.records,
      db,
      events,
      logger,
      metrics,
      settings,
      location: sip.registrar,
      trunks,
      recordingsDir: config.recordingsDir,
      defaultCountry: config.defaultCountry,
      ringTimeoutMs,
    });
    this.scripts = new CallScripts({
      stack: sip.stack,
      media,
      records: this.records,
      db,
      events,
      logger,
      router: this.engine.router,
      trunks,
      recordingsDir: config.recordingsDir,
      ringTimeoutMs,
      onPartyChange: (change) => this.engine.announce(change),
    });
    this.engine.scripts = this.scripts;
    // Agent presence is derived from the calls' parties, and from nothing else.
    this.engine.onPartyChange((change) => agents.presence.apply(change));
    const services = {
      sip: sip.stack,
      db,
      logger,
      events,
      settings,
      registrar: sip.registrar,
      agents,
      queues,
      records: this.records,
    };
    this.queueCalls = new QueueCalls(services, this.engine, media);
    this.queueCalls.install();
    this.control = new CallControl(services, this.engine, this.queueCalls);
    this.control.install();
    this.reconnect = new AgentReconnect({
      engine: this.engine,
      stack: sip.stack,
      media,
      location: sip.registrar,
      logger,
      graceMs: config.agentReconnectGraceMs,
    });
    this.reconnect.install();
    this.monitor = new CallMonitor(this.engine, events, logger);
    metrics.activeCallsSource = () => this.engine.activeCount + this.scripts.calls.length;
  }

  /**
   * Starts the media plane, closes the calls and repairs the recordings an unclean stop left, starts
   * the trunks, then takes new INVITEs.
   */
  static async start(parts: SwitchParts, timings: SwitchTimings = {}): Promise<Switch> {
    const media = await startMedia(parts, timings);
    const sw = new Switch(parts, media, timings);
    sw.stopTurnRenewal = renewMediaTurnCredentials(parts.config, media);
    // Writes journaled while the database was out (before a stop or crash) land first, so the
    // calls they close keep their real outcome instead of being taken for interrupted ones.
    await Promise.race([sw.records.drained(), new Promise((r) => setTimeout(r, 10_000).unref())]);
    const lastAlive = await sw.heartbeat.lastAlive();
    const interrupted = await sw.records.closeInterrupted(lastAlive);
    sw.heartbeat.start();
    const repairedRows = await recoverRecordingRows(parts.db, parts.config.recordingsDir);
    if (interrupted > 0 || media.repaired.length > 0)
      parts.logger.warn(
        { interrupted, repairedFiles: media.repaired.length, repairedRows },
        'closed calls and repaired recordings left by an unclean stop',
      );
    await parts.trunks.start();
    parts.sip.dispatcher.setHandler(sw.engine.handle);
    return sw;
  }

  /** Every call ends (BYE, CDR closed), the media plane closes, the trunks unregister, SIP stops. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.parts.sip.dispatcher.setHandler(undefined);
    await this.scripts.stop();
    await this.engine.stop();
    this.stopTurnRenewal();
    await this.media.close();
    await this.heartbeat.stop();
    this.records.stop();
    // Unregister from the carriers while the stack can still send, then close the listeners.
    await this.parts.trunks.stop();
    await this.parts.sip.stop();
  }
}
