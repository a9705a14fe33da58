import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_PROMPT_DIR, parseWavHeader } from '@switchboard/media';
import type { BuiltInPrompt, Sound } from '@switchboard/shared';
import type { Db } from '../db/database';

const run = promisify(execFile);

const PROMPT_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A refused upload or change, with the status the API answers. */
export class SoundError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$/;
const FOLDER = /^([A-Za-z0-9][A-Za-z0-9 _-]{0,39})(\/[A-Za-z0-9][A-Za-z0-9 _-]{0,39}){0,3}$/;

function checkName(name: string): string {
  const n = name.trim();
  if (!NAME.test(n)) throw new SoundError(400, 'A name of letters, digits, space, . _ - (up to 80)', 'name');
  return n;
}

function checkFolder(folder: string): string {
  const f = folder.trim().replace(/^\/+|\/+$/g, '');
  if (f !== '' && !FOLDER.test(f))
    throw new SoundError(400, 'Folders like "callback" or "ivr/main" (up to 4 levels)', 'folder');
  return f;
}

/**
 * The sound library: administrators upload any audio sox reads; it is converted to what goes on
 * the wire (8 kHz mono G.711 μ-law WAV) and kept in folders with its length. Prompt settings name
 * a sound as `sound:<id>`; `resolve` gives the file the media plane plays. IVR flows use it too.
 */
export class SoundLibrary {
  private builtIns: Promise<BuiltInPrompt[]> | null = null;

  constructor(
    private readonly db: Db,
    readonly dir: string,
    private readonly now: () => number = Date.now,
    readonly promptDir: string = DEFAULT_PROMPT_DIR,
  ) {}

  /** The shipped prompts with their lengths (read once: they change only with a release). */
  builtInPrompts(): Promise<BuiltInPrompt[]> {
    this.builtIns ??= (async () => {
      const files = (await readdir(this.promptDir)).filter((f) => f.endsWith('.wav')).sort();
      const out: BuiltInPrompt[] = [];
      for (const f of files) {
        const name = f.slice(0, -4);
        if (!PROMPT_NAME.test(name)) continue;
        try {
          const info = parseWavHeader(await readFile(path.join(this.promptDir, f)));
          const bytesPerSecond = (info.sampleRate * info.channels * info.bitsPerSample) / 8;
          out.push({ name, durationMs: Math.round((info.dataBytes / bytesPerSecond) * 1000) });
        } catch {
          // A file that is not a WAV is not a prompt.
        }
      }
      return out;
    })();
    return this.builtIns;
  }

  /** The file of a shipped prompt, or null when there is none of that name. */
  async builtInPromptFile(name: string): Promise<string | null> {
    if (!PROMPT_NAME.test(name)) return null;
    return (await this.builtInPrompts()).some((p) => p.name === name)
      ? path.join(this.promptDir, `${name}.wav`)
      : null;
  }

  private out(r: {
    id: number;
    folder: string;
    name: string;
    duration_ms: number;
    size_bytes: number;
    original_name: string | null;
    created_at: number;
  }): Sound {
    return {
      id: r.id,
      folder: r.folder,
      name: r.name,
      durationMs: r.duration_ms,
      sizeBytes: r.size_bytes,
      originalName: r.original_name,
      createdAt: Number(r.created_at),
      ref: `sound:${r.id}`,
    };
  }

  async list(folder?: string): Promise<{ sounds: Sound[]; folders: string[] }> {
    let q = this.db.selectFrom('sounds').selectAll().orderBy('folder').orderBy('name');
    if (folder !== undefined) q = q.where('folder', '=', checkFolder(folder));
    const rows = await q.execute();
    const all = await this.db.selectFrom('sounds').select('folder').distinct().orderBy('folder').execute();
    return { sounds: rows.map((r) => this.out(r)), folders: all.map((r) => r.folder) };
  }

  async get(id: number): Promise<(Sound & { path: string }) | null> {
    const r = await this.db.selectFrom('sounds').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { ...this.out(r), path: path.join(this.dir, r.file) } : null;
  }

  /** The file to play for a prompt setting: `sound:<id>` from the library, anything else as it is. */
  async resolve(prompt: string): Promise<string | null> {
    const m = /^sound:(\d+)$/.exec(prompt);
    if (!m) return prompt;
    return (await this.get(Number(m[1])))?.path ?? null;
  }

  /** Converts and stores an upload; a file sox cannot read is a 400 saying so. */
  async upload(input: {
    data: Buffer;
    originalName: string;
    name?: string;
    folder?: string;
  }): Promise<Sound> {
    const folder = checkFolder(input.folder ?? '');
    const name = checkName(input.name?.trim() || path.parse(input.originalName).name || 'sound');
    if (input.data.length === 0) throw new SoundError(400, 'The file is empty', 'file');
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'sb-sound-'));
    try {
      const ext = path
        .extname(input.originalName)
        .toLowerCase()
        .replace(/[^a-z0-9.]/g, '');
      const src = path.join(tmp, `in${ext || '.wav'}`);
      const converted = path.join(tmp, 'out.wav');
      await writeFile(src, input.data);
      try {
        await run('sox', [src, '-r', '8000', '-c', '1', '-e', 'u-law', '-b', '8', converted], {
          timeout: 30_000,
        });
      } catch (err) {
        const detail = String((err as { stderr?: string }).stderr ?? '')
          .split('\n')
          .find((l) => l.trim())
          ?.replace(/^sox FAIL [^:]*:\s*/, '')
          .replace(tmp, '')
          .trim();
        throw new SoundError(
          400,
          `Not a usable audio file${detail ? ` (${detail})` : ''}: upload WAV, MP3, OGG or FLAC`,
          'file',
        );
      }
      const { stdout } = await run('sox', ['--i', '-D', converted]);
      const durationMs = Math.round(Number.parseFloat(stdout) * 1000);
      if (!Number.isFinite(durationMs) || durationMs <= 0)
        throw new SoundError(400, 'The file has no audio', 'file');
      const file = path.join(folder || '_', `${randomUUID()}.wav`);
      await mkdir(path.dirname(path.join(this.dir, file)), { recursive: true });
      await rename(converted, path.join(this.dir, file)).catch(async () => {
        await writeFile(path.join(this.dir, file), await readFile(converted));
      });
      const size = (await stat(path.join(this.dir, file))).size;
      const now = this.now();
      try {
        const row = await this.db
          .insertInto('sounds')
          .values({
            folder,
            name,
            file,
            duration_ms: durationMs,
            size_bytes: size,
            original_name: input.originalName.slice(0, 200),
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return this.out(row);
      } catch (err) {
        await rm(path.join(this.dir, file), { force: true });
        if (/unique|23505/i.test(String((err as { code?: string }).code ?? err)))
          throw new SoundError(409, `${folder ? `${folder}/` : ''}${name} already exists`, 'name');
        throw err;
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** Renames a sound or moves it to another folder (the file stays where it is). */
  async update(id: number, change: { name?: string; folder?: string }): Promise<Sound> {
    const set: { name?: string; folder?: string; updated_at: number } = { updated_at: this.now() };
    if (change.name !== undefined) set.name = checkName(change.name);
    if (change.folder !== undefined) set.folder = checkFolder(change.folder);
    try {
      const row = await this.db
        .updateTable('sounds')
        .set(set)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new SoundError(404, 'No such sound');
      return this.out(row);
    } catch (err) {
      if (err instanceof SoundError) throw err;
      if (/unique|23505/i.test(String((err as { code?: string }).code ?? err)))
        throw new SoundError(409, 'A sound of that name is already in that folder', 'name');
      throw err;
    }
  }

  private readonly removalGuards: Array<(id: number) => Promise<string | null>> = [];

  /** `guard` says why a sound cannot be deleted now (something in service plays it), or null. */
  refuseRemovalWhen(guard: (id: number) => Promise<string | null>): void {
    this.removalGuards.push(guard);
  }

  async remove(id: number): Promise<Sound> {
    const s = await this.get(id);
    if (!s) throw new SoundError(404, 'No such sound');
    for (const guard of this.removalGuards) {
      const why = await guard(id);
      if (why) throw new SoundError(409, why);
    }
    await this.db.deleteFrom('sounds').where('id', '=', id).execute();
    await rm(s.path, { force: true });
    const { path: _file, ...rest } = s;
    return rest;
  }
}
