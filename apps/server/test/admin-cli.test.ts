import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/password';
import { CommandError, runCommand } from '../src/cli/admin-commands';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/observability/logger';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const cli = path.join(root, 'apps/server/src/cli/admin-cli.ts');

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-admin-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dbFile = path.join(dir, 'switchboard.db');

/** Runs `npm run admin -- …` as an operator would (same entry), with `input` on standard input. */
function admin(args: string[], input = '', env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(tsx, [cli, ...args], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: `sqlite:${dbFile}`,
        RECORDINGS_DIR: path.join(dir, 'recordings'),
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdin.end(input);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** The same commands in this process (the entry itself is run above): output, or the refusal. */
async function command(args: string[], input = '', env: Record<string, string> = {}) {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: `sqlite:${dbFile}`,
    RECORDINGS_DIR: path.join(dir, 'recordings'),
    ...env,
  });
  const lines: string[] = [];
  try {
    await runCommand(args, config, createLogger('silent'), {
      readInput: async () => input,
      print: (line) => lines.push(line),
    });
    return { code: 0, out: lines.join('\n'), err: '' };
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    return { code: err.exitCode, out: lines.join('\n'), err: err.message };
  }
}

function users(file = dbFile) {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.prepare('select id, username, role, password_hash from users order by id').all() as Array<{
      id: number;
      username: string;
      role: string;
      password_hash: string;
    }>;
  } finally {
    db.close();
  }
}

describe('admin command line', () => {
  it('explains itself, and refuses an unknown command or a bad setting with their exit codes', async () => {
    const help = await admin(['help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/create-user <username> --role admin\|supervisor\|agent/);
    const unknown = await admin(['frobnicate']);
    expect(unknown.code).toBe(64);
    expect(unknown.err).toMatch(/Unknown command "frobnicate"/);
    const bad = await admin(['migrate'], '', { DATABASE_URL: 'mysql://nope' });
    expect(bad.code).toBe(78);
    expect(bad.err).toMatch(/DATABASE_URL must start with sqlite: or postgres:\/\//);
    const pg = await command(['backup', path.join(dir, 'x.db')], '', {
      DATABASE_URL: 'postgres://127.0.0.1:1/none',
    });
    expect(pg.code).toBe(1);
    expect(pg.err).toMatch(/pg_dump/);
  });

  it('migrates, creates a user, resets a password (signing them out), backs up and restores, runs retention', {
    timeout: 60_000,
  }, async () => {
    const migrated = await command(['migrate']);
    expect(migrated.code, migrated.err).toBe(0);
    expect(migrated.out).toMatch(/Applied: 0001_initial_schema/);
    expect((await command(['migrate'])).out).toMatch(/The database is up to date/);

    const created = await admin(
      ['create-user', 'chief', '--role', 'admin', '--name', 'Chief'],
      'a long passphrase\n',
    );
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/Created admin "chief"/);
    const chief = users().find((u) => u.username === 'chief')!;
    expect(chief.role).toBe('admin');
    expect(await verifyPassword('a long passphrase', chief.password_hash)).toBe(true);

    // Refusals change nothing.

    expect((await command(['create-user', 'chief', '--role', 'admin'], 'another one\n')).err).toMatch(
      /exists already/,
    );
    const badRole = await command(['create-user', 'boss', '--role', 'emperor'], 'a long passphrase\n');
    expect(badRole.code).toBe(1);
    expect(badRole.err).toMatch(/^role: /);
    const short = await command(['create-user', 'boss', '--role', 'agent'], 'abc\n');
    expect(short.err).toMatch(/The password \(from standard input\): At least 4 characters/);
    expect((await command(['create-user', '--role', 'agent'])).code).toBe(64);
    expect(users().map((u) => u.username)).toEqual(['chief']);

    // A reset signs the user out everywhere.
    const db = new SQLite(dbFile);
    db.prepare(
      "insert into sessions (id, kind, user_id, created_at, last_seen_at, expires_at) values ('s1', 'user', ?, 1, 1, 9999999999999)",
    ).run(chief.id);
    db.close();
    const reset = await command(['reset-password', 'chief'], 'a new long passphrase\n');
    expect(reset.code, reset.err).toBe(0);
    const after = users().find((u) => u.username === 'chief')!;
    expect(await verifyPassword('a new long passphrase', after.password_hash)).toBe(true);
    const check = new SQLite(dbFile, { readonly: true });
    expect(check.prepare('select count(*) as n from sessions where user_id = ?').get(chief.id)).toEqual({
      n: 0,
    });
    expect(
      check
        .prepare("select count(*) as n from audit_log where action = 'password.reset' and entity_id = ?")
        .get(String(chief.id)),
    ).toEqual({ n: 1 });
    check.close();
    expect((await command(['reset-password', 'nobody'], 'a new long passphrase\n')).err).toMatch(
      /No user "nobody"/,
    );

    // Backup, a change, restore: the change is gone, the replaced database is kept beside it.
    const backupFile = path.join(dir, 'backup.db');
    const backup = await command(['backup', backupFile]);
    expect(backup.code, backup.err).toBe(0);
    expect(users(backupFile).map((u) => u.username)).toEqual(['chief']);
    expect((await command(['backup', backupFile])).err).toMatch(/exists already/);
    await command(['create-user', 'temp', '--role', 'agent'], 'temp password\n');
    expect(users().map((u) => u.username)).toEqual(['chief', 'temp']);
    const notDb = path.join(dir, 'not-a-db.db');
    writeFileSync(notDb, 'hello');
    expect((await command(['restore', notDb])).err).toMatch(/not a readable SQLite database/);
    const restored = await command(['restore', backupFile]);
    expect(restored.code, restored.err).toBe(0);
    expect(users().map((u) => u.username)).toEqual(['chief']);
    const kept = readdirSync(dir).filter((f) => f.startsWith('switchboard.db.before-restore-'));
    expect(kept).toHaveLength(1);
    expect(users(path.join(dir, kept[0]!)).map((u) => u.username)).toEqual(['chief', 'temp']);

    const keep = await command(['retention']);
    expect(keep.code, keep.err).toBe(0);
    expect(keep.out).toMatch(/Removed 0 call records and 0 recordings .* everything is kept/);
    const purge = await command(['retention'], '', { RETENTION_CALLS_DAYS: '30' });
    expect(purge.out).toMatch(/^Removed 0 call records and 0 recordings \(0 bytes\)\.$/m);
    expect(existsSync(dbFile)).toBe(true);
  });
});
