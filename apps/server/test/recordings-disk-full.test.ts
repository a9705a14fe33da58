import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { freeUdpRange } from '@switchboard/test-support';
import { expect, it } from 'vitest';
import { recordingPathFor } from '../src/switch/call-recordings';
import { carrierCall, MediaPeer, startDesk } from './call-peers';
import { deferrer } from './defer';
import { allCallsEnded } from './switch-events';
import { TestSystem } from './test-system';

/**
 * A real full disk: a 48 KiB tmpfs mounted over the directory today's recordings go to (needs
 * root, as the test machine has). A stereo 8 kHz recording writes 32 kB a second, so the disk is
 * full about a second and a half into the call.
 */
function mountTinyDisk(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', dir]);
  return () => execFileSync('umount', ['-l', dir]);
}

it('a recording cut short by a full disk ends truncated with the length its file holds; the call goes on; health and metrics say so', {
  timeout: 60_000,
}, async ({ onTestFinished }) => {
  const defer = deferrer(onTestFinished);
  const rtpBase = await freeUdpRange(100);
  const sys = await TestSystem.start(
    'sqlite',
    { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(rtpBase), RTP_PORT_MAX: String(rtpBase + 99) },
    { trunks: { optionsIntervalMs: 0 } },
  );
  defer(() => sys.stop());
  await sys.db.updateTable('extensions').set({ recording_enabled: 1 }).where('number', '=', '1004').execute();
  const today = path.resolve(sys.deps.config.recordingsDir, path.dirname(recordingPathFor('x')));
  const unmount = mountTinyDisk(today);
  defer(unmount);
  expect((await fetch(`${sys.url}/healthz`)).status).toBe(200);

  const media = await MediaPeer.start();
  defer(() => media.close());
  const desk = await startDesk(sys, 'answer', media.port);
  const carrier = await carrierCall(defer, sys, { did: '5550104', expect: 200, talkMs: 4000 });
  const [carrierExit, deskExit] = await Promise.all([carrier.exited, desk.exited]);
  // The call was not dropped when the disk filled: both ends ran their whole scenario.
  expect(deskExit, desk.output).toBe(0);
  expect(carrierExit, carrier.output).toBe(0);
  await allCallsEnded(sys);

  const cdr = await sys.db.selectFrom('calls').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
  expect(cdr).toMatchObject({ status: 'closed', disposition: 'answered', hangup_side: 'customer' });
  expect(cdr.duration_s).toBeGreaterThanOrEqual(4);
  const rec = await sys.db
    .selectFrom('recordings')
    .selectAll()
    .where('id', '=', cdr.recording_id!)
    .executeTakeFirstOrThrow();
  expect(rec.status).toBe('truncated');
  const file = path.resolve(sys.deps.config.recordingsDir, rec.path);
  const size = statSync(file).size;
  expect(rec.size_bytes).toBe(size);
  // The header claims exactly the audio the file holds, and the row says that length.
  const header = Buffer.alloc(44);
  const fd = openSync(file, 'r');
  readSync(fd, header, 0, 44, 0);
  closeSync(fd);
  expect(header.readUInt32LE(40)).toBe(size - 44);
  expect(header.readUInt32LE(4)).toBe(size - 8);
  expect(rec.duration_ms).toBe(Math.round(((size - 44) / 4 / 8000) * 1000));
  expect(rec.duration_ms).toBeLessThan(cdr.duration_s * 1000 - 1000);
  expect(rec.duration_ms).toBeGreaterThan(0);

  // The full disk fails the recordings check; freeing it clears it.
  const full = await fetch(`${sys.url}/healthz`);
  expect(full.status).toBe(503);
  expect(((await full.json()) as { failing: string[] }).failing).toContain('recordings');
  const metrics = await (await fetch(`${sys.url}/metrics`)).text();
  expect(metrics).toMatch(/^switchboard_recording_failures 1$/m);
  rmSync(file);
  expect(readdirSync(today)).toEqual([]);
  expect((await fetch(`${sys.url}/healthz`)).status).toBe(200);
});
