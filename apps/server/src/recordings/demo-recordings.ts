import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database';
import { encodeWav } from './wav';

const RATE = 8000;

/**
 * A short stereo call: customer (left) and agent (right) take turns, each "speaking" as a tone with a
 * syllable-like envelope, so the player and the waveform have something real to show.
 */
export function demoCallAudio(seconds: number, seed: number): Float32Array[] {
  const frames = Math.round(seconds * RATE);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  const turn = 1.6 + (seed % 3) * 0.4;
  for (let i = 0; i < frames; i++) {
    const t = i / RATE;
    const speaker = Math.floor(t / turn) % 2;
    const inTurn = (t % turn) / turn;
    const envelope = Math.sin(Math.PI * inTurn) * (0.55 + 0.45 * Math.abs(Math.sin(2 * Math.PI * 3.3 * t)));
    const f = speaker === 0 ? 330 + (seed % 5) * 20 : 520 + (seed % 4) * 25;
    const v = 0.5 * envelope * Math.sin(2 * Math.PI * f * t);
    if (speaker === 0) left[i] = v;
    else right[i] = v;
  }
  return [left, right];
}

/**
 * Demo recordings: the latest answered calls of the agents whose extension records get a short WAV
 * under `<recordingsDir>/demo/`, a recordings row and the call's recording_id. Only on a freshly
 * seeded demo database.
 */
export async function seedDemoRecordings(db: Db, recordingsDir: string, perAgent = 4): Promise<number> {
  const recorders = await db
    .selectFrom('extensions')
    .select('user_id')
    .where('recording_enabled', '=', 1)
    .where('user_id', 'is not', null)
    .execute();
  const dir = path.join(recordingsDir, 'demo');
  mkdirSync(dir, { recursive: true });
  let made = 0;
  for (const { user_id } of recorders) {
    const calls = await db
      .selectFrom('calls')
      .select(['id', 'call_uuid', 'answered_at', 'duration_s'])
      .where('agent_user_id', '=', user_id!)
      .where('disposition', '=', 'answered')
      .where('recording_id', 'is', null)
      .orderBy('started_at', 'desc')
      .limit(perAgent)
      .execute();
    for (const call of calls) {
      const seconds = Math.min(Math.max(call.duration_s, 4), 12);
      const wav = encodeWav(demoCallAudio(seconds, call.id), RATE);
      const rel = `demo/${call.call_uuid}.wav`;
      writeFileSync(path.join(recordingsDir, rel), wav);
      await db.transaction().execute(async (tx) => {
        const rec = await tx
          .insertInto('recordings')
          .values({
            call_id: call.id,
            agent_user_id: user_id,
            path: rel,
            duration_ms: seconds * 1000,
            size_bytes: wav.length,
            started_at: call.answered_at!,
            status: 'complete',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx.updateTable('calls').set({ recording_id: rec.id }).where('id', '=', call.id).execute();
      });
      made++;
    }
  }
  return made;
}
