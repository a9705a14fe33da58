import { statSync } from 'node:fs';
import path from 'node:path';
import { LocalMediaPlane, type MediaEngineOptions, type MediaPlane, MediaWorker } from '@switchboard/media';
import type { Config } from '../../config';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../http/deps';
import { CallRecords } from '../call-records';
import { CallScripts } from '../scripts/call-scripts';
import { AgentReconnect } from './agent-reconnect';
import { CallControl } from './call-control';
import { CallEngine } from './call-engine';
import { QueueCalls } from './queue-calls';

export interface CallsOptions {
  /** No answer within this → CANCEL, disposition unanswered (default 30 s). */
  ringTimeoutMs?: number;
  /** No RTP from a side for this long ends the call (default 30 s; held calls are exempt). */
  inactivityTimeoutMs?: number;
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

/**
 * Starts the call side of the switch: the media engine (RTP port pool, recordings repaired), crash
 * recovery of CDRs and recording rows, and the call engine as the dispatcher's INVITE handler.
 */
export async function startCalls(deps: AppDeps, config: Config, options: CallsOptions = {}) {
  const mediaOptions: MediaEngineOptions = {
    bindAddress: config.sip.host,
    publicAddress: config.sip.publicAddress,
    portMin: config.rtp.portMin,
    portMax: config.rtp.portMax,
    recordingsDir: config.recordingsDir,
    inactivityTimeoutMs: options.inactivityTimeoutMs,
  };
  // In a worker, packet handling, SRTP and the 20 ms clock never delay SIP and HTTP (and vice versa).
  let media: MediaPlane;
  if (config.mediaThread === 'worker') {
    const worker = await MediaWorker.start(mediaOptions);
    worker.onRestart = (err) =>
      deps.logger.error(
        { err },
        'media worker stopped: its calls lost their media; a new worker serves new calls',
      );
    media = worker;
  } else {
    const local = new LocalMediaPlane(mediaOptions);
    await local.warmUp();
    media = local;
  }
  const records = new CallRecords(deps.db, config.nodeId);
  const interrupted = await records.closeInterrupted();
  const repairedRows = await recoverRecordingRows(deps.db, config.recordingsDir);
  if (interrupted > 0 || media.repaired.length > 0)
    deps.logger.warn(
      { interrupted, repairedFiles: media.repaired.length, repairedRows },
      'closed calls and repaired recordings left by an unclean stop',
    );
  const engine = new CallEngine({
    stack: deps.sip,
    media,
    records,
    db: deps.db,
    events: deps.events,
    logger: deps.logger,
    metrics: deps.metrics,
    settings: deps.settings,
    location: deps.registrar,
    trunks: deps.trunks,
    recordingsDir: config.recordingsDir,
    defaultCountry: config.defaultCountry,
    ringTimeoutMs: options.ringTimeoutMs,
  });
  const scripts = new CallScripts({
    stack: deps.sip,
    media,
    records,
    db: deps.db,
    events: deps.events,
    logger: deps.logger,
    router: engine.router,
    trunks: deps.trunks,
    recordingsDir: config.recordingsDir,
    ringTimeoutMs: options.ringTimeoutMs ?? 30_000,
  });
  engine.scripts = scripts;
  deps.metrics.activeCallsSource = () => engine.activeCount + scripts.calls.length;
  const queueCalls = new QueueCalls({ ...deps, records }, engine, media);
  queueCalls.install();
  new CallControl(deps, engine, queueCalls).install();
  new AgentReconnect({
    engine,
    stack: deps.sip,
    media,
    location: deps.registrar,
    logger: deps.logger,
    graceMs: config.agentReconnectGraceMs,
  }).install();
  deps.sipDispatcher.setHandler(engine.handle);
  return {
    engine,
    scripts,
    media,
    records,
    async stop() {
      deps.sipDispatcher.setHandler(undefined);
      await scripts.stop();
      await engine.stop();
      await media.close();
    },
  };
}
