import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from './test-system';

describeEachDatabase('Recording List', (sys) => {
  const userId = async (name: string) =>
    (await sys().db.selectFrom('users').select('id').where('username', '=', name).executeTakeFirstOrThrow())
      .id;
  const recordingOf = async (name: string) =>
    sys()
      .db.selectFrom('recordings')
      .selectAll()
      .where('agent_user_id', '=', await userId(name))
      .orderBy('started_at', 'desc')
      .executeTakeFirstOrThrow();
  const dir = () => sys().system.deps.config.recordingsDir;

  it('seeds demo recordings only for agents whose extension records, linked to answered calls', async () => {
    const rows = await sys()
      .db.selectFrom('recordings')
      .innerJoin('calls', 'calls.id', 'recordings.call_id')
      .innerJoin('extensions', 'extensions.user_id', 'recordings.agent_user_id')
      .select([
        'extensions.recording_enabled',
        'calls.disposition',
        'calls.recording_id',
        'recordings.id',
        'recordings.path',
      ])
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const r of rows) {
      expect(r.recording_enabled).toBe(1);
      expect(r.disposition).toBe('answered');
      expect(r.recording_id).toBe(r.id);
      const wav = readFileSync(path.join(dir(), r.path));
      expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
      expect(wav.readUInt16LE(22)).toBe(2);
      expect(wav.readUInt32LE(24)).toBe(8000);
    }
  });

  it('lists the 10 most recent by default; an agent sees only their own', async () => {
    const c = sys().client();
    await c.login('alice');
    const alice = await userId('alice');
    const res = await c.get('/api/recordings');
    expect(res.status).toBe(200);
    expect(res.body.pageSize).toBe(10);
    expect(res.body.recordings.length).toBeGreaterThan(0);
    for (const r of res.body.recordings) expect(r.agentUserId).toBe(alice);
    const times = res.body.recordings.map((r: { startedAt: number }) => r.startedAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const bobClient = sys().client();
    await bobClient.login('bob');
    const bob = await bobClient.get('/api/recordings');
    expect(bob.body.recordings).toEqual([]);
  });

  it('shows a supervisor everyone’s recordings, 10 by default', async () => {
    const c = sys().client();
    await c.login('sam');
    const res = await c.get('/api/recordings');
    expect(res.body.recordings).toHaveLength(10);
    expect(res.body.total).toBeGreaterThan(10);
    const agents = new Set(res.body.recordings.map((r: { agentUserId: number }) => r.agentUserId));
    expect(agents.size).toBeGreaterThan(1);
  });

  it('searches by number fragment, customer name, type and time', async () => {
    const c = sys().client();
    await c.login('sam');
    const all = (await c.get('/api/recordings?pageSize=100')).body.recordings;
    const withNumber = all[0];
    const frag = withNumber.customerNumber.replace(/\D/g, '').slice(3, 7);
    const byNumber = await c.get(`/api/recordings?number=${frag}`);
    expect(byNumber.body.recordings.map((r: { id: number }) => r.id)).toContain(withNumber.id);
    for (const r of byNumber.body.recordings) expect(r.customerNumber.replace(/\D/g, '')).toContain(frag);

    const named = all.find((r: { customerName: string | null }) => r.customerName);
    expect(named).toBeTruthy();
    const byName = await c.get(
      `/api/recordings?customer=${encodeURIComponent(named.customerName.slice(0, 4))}`,
    );
    expect(byName.body.recordings.map((r: { id: number }) => r.id)).toContain(named.id);

    const type = all[0].type;
    const byType = await c.get(`/api/recordings?type=${type}&pageSize=100`);
    expect(byType.body.recordings.length).toBeGreaterThan(0);
    for (const r of byType.body.recordings) expect(r.type).toBe(type);

    const future = await c.get(`/api/recordings?from=${Date.now() + 86_400_000}`);
    expect(future.body.recordings).toEqual([]);

    const bad = await c.get('/api/recordings?type=Inbound');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('type');
    const badNumber = await c.get('/api/recordings?number=5');
    expect(badNumber.status).toBe(400);
    expect(badNumber.body.error.message).toContain('number');
  });

  it('streams the WAV whole, and byte-exact for Range requests', async () => {
    const c = sys().client();
    await c.login('alice');
    const rec = await recordingOf('alice');
    const file = readFileSync(path.join(dir(), rec.path));
    const url = `${sys().url}/api/recordings/${rec.id}/audio`;
    const cookie = await sessionCookie('alice');

    const whole = await fetch(url, { headers: { cookie } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await whole.arrayBuffer()).equals(file)).toBe(true);

    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, file.length - 1],
      ['bytes=-500', file.length - 500, file.length - 1],
      [`bytes=44-${file.length + 1000}`, 44, file.length - 1],
      [`bytes=${file.length - 1}-${file.length - 1}`, file.length - 1, file.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetch(url, { headers: { cookie, range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${file.length}`);
      expect(res.headers.get('content-length'), range).toBe(String(end - start + 1));
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.equals(file.subarray(start, end + 1)), range).toBe(true);
    }

    for (const range of [
      `bytes=${file.length}-`,
      'bytes=500-100',
      'bytes=-0',
      'bytes=abc',
      'bytes=0-1,5-9',
    ]) {
      const res = await fetch(url, { headers: { cookie, range } });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range'), range).toBe(`bytes */${file.length}`);
    }
  });

  it('downloads as an attachment .wav', async () => {
    const c = sys().client();
    await c.login('alice');
    const rec = await recordingOf('alice');
    for (const p of [`/api/recordings/${rec.id}/audio?download=1`, `/api/recordings/${rec.id}/download`]) {
      const res = await c.get(p);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(
        /^attachment; filename="recording-\d+-[\d-]+\.wav"$/,
      );
    }
    const inline = await c.get(`/api/recordings/${rec.id}/audio`);
    expect(inline.headers.get('content-disposition')).toMatch(/^inline;/);
  });

  it('answers 404 for another agent’s recording, an unknown one, and a missing file; 400 for a bad id', async () => {
    const carolRec = await recordingOf('carol');
    const alice = sys().client();
    await alice.login('alice');
    expect((await alice.get(`/api/recordings/${carolRec.id}/audio`)).status).toBe(404);
    expect((await alice.get(`/api/recordings/${carolRec.id}/download`)).status).toBe(404);
    expect((await alice.get('/api/recordings/999999/audio')).status).toBe(404);
    const bad = await alice.get('/api/recordings/abc/audio');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('id');

    const sam = sys().client();
    await sam.login('sam');
    expect((await sam.get(`/api/recordings/${carolRec.id}/audio`)).status).toBe(200);

    const call = await sys().db.selectFrom('calls').select('id').executeTakeFirstOrThrow();
    const missing = await sys()
      .db.insertInto('recordings')
      .values({
        call_id: call.id,
        agent_user_id: null,
        path: 'gone/none.wav',
        started_at: 1,
        status: 'complete',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await sam.get(`/api/recordings/${missing.id}/audio`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/missing/);
  });

  it('refuses paths that escape the recordings directory', async () => {
    const outside = path.join(os.tmpdir(), `sb-outside-${process.pid}.wav`);
    writeFileSync(outside, 'RIFF-secret');
    mkdirSync(path.join(dir(), 'links'), { recursive: true });
    const link = path.join(dir(), 'links', `out-${Math.random().toString(36).slice(2)}.wav`);
    symlinkSync(outside, link);
    const call = await sys().db.selectFrom('calls').select('id').executeTakeFirstOrThrow();
    const sam = sys().client();
    await sam.login('sam');
    for (const p of [
      outside,
      `../${path.basename(outside)}`,
      '../../etc/passwd',
      path.relative(dir(), link),
    ]) {
      const rec = await sys()
        .db.insertInto('recordings')
        .values({ call_id: call.id, agent_user_id: null, path: p, started_at: 1, status: 'complete' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const res = await sam.get(`/api/recordings/${rec.id}/audio`);
      expect(res.status, p).toBe(404);
      expect(res.text).not.toContain('secret');
    }
  });

  it('masks customer numbers in the list for agents, not for exempt supervisors', async () => {
    const settings = sys().system.deps.settings;
    await settings.set('numberMasking', {
      mode: 'partial',
      keepFirst: 3,
      keepLast: 2,
      exemptSupervisors: true,
    });
    try {
      const a = sys().client();
      await a.login('alice');
      const res = await a.get('/api/recordings');
      expect(res.body.numbersMasked).toBe(true);
      for (const r of res.body.recordings) expect(r.customerNumber).toMatch(/^\+\d{3}\*+\d{2}$/);
      const probe = await a.get('/api/recordings?number=555');
      expect(probe.status).toBe(400);
      expect(probe.body.error.message).toContain('number');
      const s = sys().client();
      await s.login('sam');
      const sup = await s.get('/api/recordings');
      expect(sup.body.numbersMasked).toBe(false);
      expect(sup.body.recordings[0].customerNumber).toMatch(/^\+\d+$/);
    } finally {
      await settings.set('numberMasking', {
        mode: 'off',
        keepFirst: 2,
        keepLast: 2,
        exemptSupervisors: true,
      });
    }
  });

  async function sessionCookie(name: string) {
    const res = await fetch(`${sys().url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: name, password: name }),
    });
    return res.headers
      .getSetCookie()
      .map((l) => l.split(';')[0])
      .join('; ');
  }
});
