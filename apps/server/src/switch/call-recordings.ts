import { statSync } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { RecordingResult } from '@switchboard/media';
import type { Logger } from '../observability/logger';
import type { CallRecords } from './call-records';

/** Where a call's recording goes under the recordings directory: `YYYY/MM/DD/<call uuid>.wav` (UTC). */
export function recordingPathFor(callUuid: string, at = new Date()): string {
  return path.posix.join(
    String(at.getUTCFullYear()),
    String(at.getUTCMonth() + 1).padStart(2, '0'),
    String(at.getUTCDate()).padStart(2, '0'),
    `${callUuid}.wav`,
  );
}

/** What the health check writes: more than one 200 ms flush of a stereo recording. */
const PROBE_BYTES = 8192;

/**
 * Health of the recordings storage: the directory today's recordings go to takes a write the size
 * of a recorder's flush, flushed to disk (a full, read-only or failing disk fails it).
 */
export async function checkRecordingsStorage(recordingsDir: string): Promise<void> {
  const dir = path.resolve(recordingsDir, path.dirname(recordingPathFor('probe')));
  await mkdir(dir, { recursive: true });
  const probe = path.join(dir, `.health-${process.pid}`);
  const file = await open(probe, 'w');
  try {
    await file.write(Buffer.alloc(PROBE_BYTES));
    await file.sync();
  } finally {
    await file.close();
    await unlink(probe).catch(() => {});
  }
}

/**
 * A finished recording's row gets its length and size (from the file, when it is still there); one
 * the disk cut short is marked `truncated`, with the length its file really holds.
 */
export async function completeRecordingRow(
  records: CallRecords,
  logger: Logger,
  recordingId: number,
  rec: RecordingResult | null,
): Promise<void> {
  let size = 0;
  try {
    size = rec ? statSync(rec.file).size : 0;
  } catch {
    // the file is gone; the row still says how long it was
  }
  const truncated = !rec || rec.truncated;
  if (truncated) {
    records.recordingFailures++;
    logger.error({ recordingId, file: rec?.file }, 'recording cut short: the disk refused a write');
  }
  await records
    .completeRecording(recordingId, {
      durationMs: rec?.durationMs ?? 0,
      sizeBytes: size,
      status: truncated ? 'truncated' : 'complete',
    })
    .catch((err) => logger.error({ err }, 'recording row not finalized'));
}
