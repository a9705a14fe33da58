import { statSync } from 'node:fs';
import path from 'node:path';
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

/** A finished recording's row gets its length and size (from the file, when it is still there). */
export async function completeRecordingRow(
  records: CallRecords,
  logger: Logger,
  recordingId: number,
  rec: { file: string; durationMs: number } | null,
): Promise<void> {
  let size = 0;
  try {
    size = rec ? statSync(rec.file).size : 0;
  } catch {
    // the file is gone; the row still says how long it was
  }
  await records
    .completeRecording(recordingId, { durationMs: rec?.durationMs ?? 0, sizeBytes: size, status: 'complete' })
    .catch((err) => logger.error({ err }, 'recording row not finalized'));
}
