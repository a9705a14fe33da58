import { rm } from 'node:fs/promises';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { Logger } from '../observability/logger';
import { resolveRecordingFile } from '../recordings/recording-file';

const DAY_MS = 86_400_000;
/** Rows per statement: a large backlog is removed in slices, never in one long transaction. */
const BATCH = 500;

/** How long calls and recordings are kept, in days; 0 keeps them for ever (docs/operations.md). */
export interface RetentionPolicy {
  recordingsDays: number;
  callsDays: number;
}

export interface RetentionResult {
  recordings: number;
  recordingBytes: number;
  calls: number;
}

export function retentionEnabled(policy: RetentionPolicy): boolean {
  return policy.recordingsDays > 0 || policy.callsDays > 0;
}

/**
 * Removes recordings (their files, then their rows) started before the recordings cutoff, and call
 * records (with their legs and recordings) started before the calls cutoff. Calls still open and
 * recordings still being written are never touched, however old. One audit entry tells what went.
 */
export async function purgeExpired(
  db: Db,
  recordingsDir: string,
  policy: RetentionPolicy,
  logger: Logger,
  now = Date.now(),
): Promise<RetentionResult> {
  const result: RetentionResult = { recordings: 0, recordingBytes: 0, calls: 0 };
  if (policy.recordingsDays > 0) {
    const cutoff = now - policy.recordingsDays * DAY_MS;
    await removeRecordings(db, recordingsDir, result, { startedBefore: cutoff });
  }
  if (policy.callsDays > 0) {
    const cutoff = now - policy.callsDays * DAY_MS;
    for (;;) {
      const ids = (
        await db
          .selectFrom('calls')
          .select('id')
          .where('started_at', '<', cutoff)
          .where('status', '=', 'closed')
          .orderBy('id')
          .limit(BATCH)
          .execute()
      ).map((r) => r.id);
      if (ids.length === 0) break;
      // A recording has no foreign key to its call: it goes first, file and row.
      await removeRecordings(db, recordingsDir, result, { callIds: ids });
      // Legs go with their call (on delete cascade); other tables keep their rows without the link.
      await db.deleteFrom('calls').where('id', 'in', ids).execute();
      result.calls += ids.length;
    }
  }
  if (result.recordings > 0 || result.calls > 0) {
    await recordAudit(
      db,
      {
        actor: { kind: 'system', id: null },
        action: 'retention.purge',
        entity: 'retention',
        entityId: null,
        after: { ...result, policy },
      },
      now,
    );
    logger.info({ ...result }, 'retention: old calls and recordings removed');
  }
  return result;
}

/** Recordings (not being written) started before `startedBefore`, or of the calls `callIds`. */
type RecordingFilter = { startedBefore: number } | { callIds: number[] };

async function removeRecordings(
  db: Db,
  recordingsDir: string,
  result: RetentionResult,
  filter: RecordingFilter,
): Promise<void> {
  for (;;) {
    let q = db
      .selectFrom('recordings')
      .select(['id', 'path'])
      .where('status', '!=', 'recording')
      .orderBy('id')
      .limit(BATCH);
    q =
      'callIds' in filter
        ? q.where('call_id', 'in', filter.callIds)
        : q.where('started_at', '<', filter.startedBefore);
    const rows = await q.execute();
    if (rows.length === 0) return;
    for (const r of rows) {
      // A path that leaves the recordings directory is never followed: only the row goes.
      const file = await resolveRecordingFile(recordingsDir, r.path);
      if (file) {
        await rm(file.file, { force: true });
        result.recordingBytes += file.size;
      }
    }
    const ids = rows.map((r) => r.id);
    await db.deleteFrom('recordings').where('id', 'in', ids).execute();
    result.recordings += rows.length;
  }
}

/** Runs the purge at start and then every `everyMs` (6 h by default) while the node is up. */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly run: () => Promise<RetentionResult>,
    private readonly logger: Logger,
    private readonly everyMs = 6 * 3_600_000,
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  private tick(): void {
    this.running = this.running
      .then(() => this.run())
      .catch((err) => this.logger.error({ err }, 'retention run failed'));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
