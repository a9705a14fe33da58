import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWavHeader } from '@switchboard/media';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { carrierScenario, MediaPeer, startDesk } from './call-peers';
import { freePort, startSipp } from './sip-agents';
import { ApiClient } from './test-system';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const main = path.join(root, 'apps/server/src/main.ts');

interface ServerProcess {
  child: ChildProcess;
  url: string;
  sipPort: number;
  exited: Promise<void>;
  output(): string;
}

/**
 * `tsx apps/server/src/main.ts` in its own process group (tsx runs the server in a child node
 * process: killing the group is what SIGKILLs the server itself). Resolves once it prints its
 * URL and SIP port.
 */
async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(tsx, [main], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SIP_HOST: '127.0.0.1',
      SIP_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const ready = new Promise<{ url: string; sipPort: number }>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const url = /Switchboard is running at (http:\/\/\S+)/.exec(out);
      const sip = /SIP on UDP and TCP 127\.0\.0\.1:(\d+)/.exec(out);
      if (url && sip) {
        clearTimeout(t);
        resolve({ url: url[1]!, sipPort: Number(sip[1]) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(t);
      reject(new Error(`server exited before it was up: ${out}`));
    });
  });
  const { url, sipPort } = await ready;
  return { child, url, sipPort, exited, output: () => out };
}

function killGroup(p: ServerProcess, signal: NodeJS.Signals): Promise<void> {
  try {
    process.kill(-p.child.pid!, signal);
  } catch {
    // already gone
  }
  return p.exited;
}

/** Polls the SQLite file (another process writes it) until `test` holds. */
async function until<T>(
  read: () => T,
  test: (v: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (test(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-crash-'));
  const dbFile = path.join(dir, 'switchboard.db');
  const recordingsDir = path.join(dir, 'recordings');
  const carrierPort = await freePort();
  const rtpMin = 37000 + (process.pid % 20) * 100;
  const env = {
    DATABASE_URL: `sqlite:${dbFile}`,
    RECORDINGS_DIR: recordingsDir,
    WEB_DIST_DIR: path.join(dir, 'no-web-build'),
    TRUNK_URI: `sip:127.0.0.1:${carrierPort}`,
    RTP_PORT_MIN: String(rtpMin),
    RTP_PORT_MAX: String(rtpMin + 99),
  };
  const cleanups: Array<() => unknown> = [];
  onTestFinished(async () => {
    for (const c of cleanups.reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  });

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
  const mp = await freePort();
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

  // A new call through the restarted switch (the desk phone registers again: bindings are in memory).
  const media2 = await MediaPeer.start();
  cleanups.push(() => media2.close());
  const desk2 = await startDesk({ sipPort: second.sipPort }, 'answer', media2.port);
  cleanups.push(() => {
    desk2.kill();
    return desk2.exited;
  });
  const carrier2 = await startSipp({
    scenario: carrierScenario({ did: '5550104', expect: 200, talkMs: 1000 }),
    transport: 'udp',
    port: carrierPort,
    remote: `127.0.0.1:${second.sipPort}`,
    timeoutMs: 15_000,
    args: ['-s', '5550104', '-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-trace_err'],
  });
  cleanups.push(() => {
    carrier2.kill();
    return carrier2.exited;
  });
  const [c2, d2] = await Promise.all([carrier2.exited, desk2.exited]);
  expect(c2, carrier2.output).toBe(0);
  expect(d2, desk2.output).toBe(0);
  expect(media2.audio).toBeGreaterThan(20);
  const last = await until(
    () => db.prepare('select * from calls order by id desc limit 1').get() as CallRow,
    (r) => r.status === 'closed',
    'the new call closed',
    5000,
  );
  expect(last).toMatchObject({ disposition: 'answered', hangup_cause: 'normal_clearing' });
  expect(last.id).toBeGreaterThan(Math.max(...calls.map((c) => c.id)));
});
