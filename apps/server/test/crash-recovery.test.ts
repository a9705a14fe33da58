import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseWavHeader } from '@switchboard/media';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { carrierScenario, MediaPeer, startDesk } from './call-peers';
import { callAfterRestart, crashTestSetup, killGroup, startServer, until } from './server-process';
import { freeMediaPorts, freePort, startSipp } from './sip-agents';
import { ApiClient } from './test-system';

interface CallRow {
  id: number;
  status: string;
  disposition: string | null;
  hangup_cause: string | null;
  answered_at: number | null;
  recording_id: number | null;
}
interface RecordingRow {
  id: number;
  call_id: number;
  path: string;
  status: string;
  size_bytes: number;
  duration_ms: number;
}

it('SIGKILL in the middle of three recorded calls: CDRs closed as interrupted, WAVs repaired, new calls work', {
  timeout: 60_000,
}, async ({ onTestFinished }) => {
  const setup = await crashTestSetup(onTestFinished, {
    tmpPrefix: 'sb-crash-',
  });
  const { dbFile, recordingsDir, carrierPort, env, cleanups } = setup;

  const first = await startServer({ ...env, PORT: String(await freePort()) });
  cleanups.push(() => killGroup(first, 'SIGKILL'));
  const db = new Database(dbFile);
  cleanups.push(() => db.close());
  db.prepare("update extensions set recording_enabled = 1 where number = '1004'").run();
  // Demo data has recordings and calls of its own: only rows after these are the test's.
  const { r0 } = db.prepare('select coalesce(max(id), 0) as r0 from recordings').get() as { r0: number };
  const { c0 } = db.prepare('select coalesce(max(id), 0) as c0 from calls').get() as { c0: number };

  const media = await MediaPeer.start();
  cleanups.push(() => media.close());
  const desk = await startDesk({ sipPort: first.sipPort }, 'answer', media.port, 3);
  cleanups.push(() => {
    desk.kill();
    return desk.exited;
  });
  const mp = await freeMediaPorts();
  const carrier = await startSipp({
    scenario: carrierScenario({ did: '5550104', expect: 200, talkMs: 30_000 }),
    transport: 'udp',
    port: carrierPort,
    remote: `127.0.0.1:${first.sipPort}`,
    timeoutMs: 40_000,
    args: ['-s', '5550104', '-m', '3', '-l', '3', '-mi', '127.0.0.1', '-mp', String(mp)],
  });
  cleanups.push(() => {
    carrier.kill();
    return carrier.exited;
  });

  // All three answered and recording, with audio on disk (the recorder flushes every 200 ms).
  const recordings = (): RecordingRow[] =>
    db.prepare('select * from recordings where id > ? order by id').all(r0) as RecordingRow[];
  const bytesOnDisk = (r: RecordingRow) => {
    try {
      return statSync(path.resolve(recordingsDir, r.path)).size;
    } catch {
      return 0;
    }
  };
  await until(
    () =>
      db
        .prepare('select * from calls where id > ? and answered_at is not null and status = ?')
        .all(c0, 'open') as CallRow[],
    (rows) => rows.length === 3,
    'three answered calls',
  );
  await until(
    recordings,
    (rows) =>
      rows.filter((r) => r.status === 'recording').length === 3 &&
      rows.every((r) => bytesOnDisk(r) > 44 + 4 * 8000 * 0.4),
    'three recordings with audio',
  );
  expect(media.loud).toBeGreaterThan(0);

  await killGroup(first, 'SIGKILL');
  desk.kill();
  carrier.kill();
  await Promise.all([desk.exited, carrier.exited]);
  // Nothing closed the rows: the process had no chance to.
  expect(
    (db.prepare("select count(*) as n from calls where id > ? and status = 'open'").get(c0) as { n: number })
      .n,
  ).toBe(3);

  const second = await startServer({ ...env, PORT: String(await freePort()) });
  cleanups.push(() => killGroup(second, 'SIGTERM'));

  const calls = db.prepare('select * from calls where id > ? order by id').all(c0) as CallRow[];
  expect(calls).toHaveLength(3);
  for (const c of calls)
    expect(c).toMatchObject({ status: 'closed', disposition: 'answered', hangup_cause: 'interrupted' });
  const recs = recordings();
  expect(recs).toHaveLength(3);
  expect(recs.map((r) => r.call_id).sort()).toEqual(calls.map((c) => c.id).sort());
  for (const r of recs) {
    const buf = readFileSync(path.resolve(recordingsDir, r.path));
    expect(r.status).toBe('repaired');
    expect(r.size_bytes).toBe(buf.length);
    const wav = parseWavHeader(buf);
    expect(wav).toMatchObject({ channels: 2, sampleRate: 8000, bitsPerSample: 16, dataOffset: 44 });
    expect(buf.readUInt32LE(4)).toBe(buf.length - 8); // RIFF size
    expect(wav.dataBytes).toBe(buf.length - 44); // data size from the header, not clipped
    expect(wav.dataBytes % 4).toBe(0); // whole stereo frames
    expect(r.duration_ms).toBe(Math.round((wav.dataBytes / 4 / 8000) * 1000));
    expect(r.duration_ms).toBeGreaterThan(400);
  }
  // The agent can play a repaired recording.
  const dave = new ApiClient(second.url);
  await dave.login('dave');
  const played = await dave.request('GET', `/api/recordings/${recs[0]!.id}/audio`);
  expect(played.status).toBe(200);
  expect(played.headers.get('content-type')).toMatch(/audio\/(wav|x-wav)/);

  // A new call through the restarted switch.
  const call = await callAfterRestart(setup, second, { did: '5550104', mediaPort: mp, timeoutMs: 15_000 });
  expect(call.carrierExit, call.carrier.output).toBe(0);
  expect(call.deskExit, call.desk.output).toBe(0);
  expect(call.media.audio).toBeGreaterThan(20);
  const last = await until(
    () => db.prepare('select * from calls order by id desc limit 1').get() as CallRow,
    (r) => r.status === 'closed',
    'the new call closed',
    5000,
  );
  expect(last).toMatchObject({ disposition: 'answered', hangup_cause: 'normal_clearing' });
  expect(last.id).toBeGreaterThan(Math.max(...calls.map((c) => c.id)));
});
