import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from './test-system';

/** An admin session cookie for raw fetches (multipart uploads). */
async function adminCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'admin' }),
  });
  return res.headers
    .getSetCookie()
    .map((l) => l.split(';')[0])
    .join('; ');
}

/** A 1.5 s 44.1 kHz stereo WAV made by sox: not what goes on the wire, so it must be converted. */
function studioWav(): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-sound-src-'));
  const file = path.join(dir, 'tone.wav');
  execFileSync('sox', ['-n', '-r', '44100', '-c', '2', file, 'synth', '1.5', 'sine', '440']);
  return readFileSync(file);
}

describeEachDatabase('sound library', (sys) => {
  const upload = async (
    cookie: string,
    data: Buffer,
    filename: string,
    fields: Record<string, string> = {},
  ) => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(data)]), filename);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const res = await fetch(`${sys().url}/api/admin/sounds`, {
      method: 'POST',
      headers: { cookie },
      body: form,
    });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & { error?: { message: string } },
    };
  };

  it('converts an upload to 8 kHz mono G.711, keeps its length and folder; listen, download, move, delete', async () => {
    const cookie = await adminCookie(sys().url);
    const up = await upload(cookie, studioWav(), 'Welcome tone.wav', {
      folder: 'callback',
      name: 'welcome tone',
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ folder: 'callback', name: 'welcome tone', ref: `sound:${up.body.id}` });
    expect(Math.abs((up.body.durationMs as number) - 1500)).toBeLessThan(30);
    const id = up.body.id as number;
    const stored = await sys().deps.sounds.get(id);
    expect(existsSync(stored!.path)).toBe(true);
    const info = execFileSync('sox', ['--i', stored!.path]).toString();
    expect(info).toMatch(/Channels\s*:\s*1/);
    expect(info).toMatch(/Sample Rate\s*:\s*8000/);
    expect(info).toMatch(/u-law/i);

    const res = await fetch(`${sys().url}/api/admin/sounds?folder=callback`, { headers: { cookie } });
    const listed = (await res.json()) as { sounds: Array<{ id: number }>; folders: string[] };
    expect(listed.sounds.map((s) => s.id)).toContain(id);
    expect(listed.folders).toContain('callback');
    const audio = await fetch(`${sys().url}/api/admin/sounds/${id}/audio?download=1`, {
      headers: { cookie },
    });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(audio.headers.get('content-disposition')).toBe('attachment; filename="welcome_tone.wav"');
    expect((await audio.arrayBuffer()).byteLength).toBe(up.body.sizeBytes);

    const moved = await fetch(`${sys().url}/api/admin/sounds/${id}`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ folder: 'ivr/main', name: 'greeting' }),
    });
    expect(await moved.json()).toMatchObject({ folder: 'ivr/main', name: 'greeting' });
    // Library sounds resolve to a playable file for prompt settings.
    expect(await sys().deps.sounds.resolve(`sound:${id}`)).toBe(stored!.path);
    const del = await fetch(`${sys().url}/api/admin/sounds/${id}`, { method: 'DELETE', headers: { cookie } });
    expect(del.status).toBe(204);
    expect(existsSync(stored!.path)).toBe(false);
  });

  it('lists the built-in prompts with their lengths and plays them; an unknown one is a 404', async () => {
    const cookie = await adminCookie(sys().url);
    const res = await fetch(`${sys().url}/api/admin/sounds/prompts`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const { prompts } = (await res.json()) as { prompts: Array<{ name: string; durationMs: number }> };
    const pin = prompts.find((p) => p.name === 'enter-pin');
    // enter-pin.wav is 3.28 s of 8 kHz audio.
    expect(pin?.durationMs).toBeGreaterThan(3200);
    expect(pin?.durationMs).toBeLessThan(3400);
    const audio = await fetch(`${sys().url}/api/admin/sounds/prompts/enter-pin/audio`, {
      headers: { cookie },
    });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await audio.arrayBuffer()).toString('ascii', 0, 4)).toBe('RIFF');
    for (const name of ['no-such-prompt', '..%2F..%2Fetc%2Fpasswd'])
      expect(
        (await fetch(`${sys().url}/api/admin/sounds/prompts/${name}/audio`, { headers: { cookie } })).status,
      ).toBe(404);
    expect((await fetch(`${sys().url}/api/admin/sounds/prompts`)).status).toBe(401);
  });

  it('refuses a file that is not audio with a clear error; bad names and folders name the field', async () => {
    const cookie = await adminCookie(sys().url);
    const bad = await upload(cookie, Buffer.from('this is not audio at all'), 'notes.wav');
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toMatch(/^Not a usable audio file.*upload WAV, MP3, OGG or FLAC$/);
    const badFolder = await upload(cookie, studioWav(), 'a.wav', { folder: '../etc' });
    expect(badFolder.status).toBe(400);
    const dup1 = await upload(cookie, studioWav(), 'a.wav', { name: 'same' });
    const dup2 = await upload(cookie, studioWav(), 'b.wav', { name: 'same' });
    expect([dup1.status, dup2.status]).toEqual([201, 409]);
    const agent = await fetch(`${sys().url}/api/admin/sounds`);
    expect(agent.status).toBe(401);
  });
});
