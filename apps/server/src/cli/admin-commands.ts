import { copyFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createUserSchema, passwordSchema } from '@switchboard/shared';
import SQLite from 'better-sqlite3';
import { recordAudit } from '../audit/audit-log';
import { hashPassword } from '../auth/password';
import type { Config } from '../config';
import { createDatabase, type Db } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import type { Logger } from '../observability/logger';
import { purgeExpired } from '../retention/retention';

/** A refusal the operator can act on: printed as is, exit code 1 (64 for a usage mistake). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface CommandIo {
  /** The rest of standard input (a password piped in). */
  readInput(): Promise<string>;
  print(line: string): void;
}

export const usage = `Usage: npm run admin -- <command> [arguments]

  create-user <username> --role admin|supervisor|agent [--name "Display name"]
                          the password is read from standard input
  reset-password <username>
                          the new password is read from standard input; signs the user out
  migrate                 brings the database schema up to date
  backup <file>           SQLite: an online copy of the database into <file>
  restore <file>          SQLite, with the server stopped: puts <file> in place of the database
                          (the current one is kept beside it as .before-restore-<time>)
  retention               removes calls and recordings past RETENTION_CALLS_DAYS and
                          RETENTION_RECORDINGS_DAYS now

The database and recordings are those of the server's own settings (DATABASE_URL, RECORDINGS_DIR).`;

/** Runs one command, printing through `io`; a refusal throws `CommandError`. */
export async function runCommand(
  args: string[],
  config: Config,
  logger: Logger,
  io: CommandIo,
): Promise<void> {
  const [command, ...rest] = args;
  switch (command) {
    case 'create-user':
      return withDb(config, (db) => createUser(db, rest, io));
    case 'reset-password':
      return withDb(config, (db) => resetPassword(db, rest, io));
    case 'migrate': {
      const db = createDatabase(config.database);
      try {
        const applied = await migrateToLatest(db);
        io.print(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      } finally {
        await db.destroy();
      }
      return;
    }
    case 'backup':
      return backup(config, rest, io);
    case 'restore':
      return restore(config, rest, io);
    case 'retention':
      return withDb(config, async (db) => {
        const r = await purgeExpired(db, config.recordingsDir, config.retention, logger);
        io.print(
          `Removed ${r.calls} call records and ${r.recordings} recordings (${r.recordingBytes} bytes).` +
            (config.retention.callsDays || config.retention.recordingsDays
              ? ''
              : ' RETENTION_CALLS_DAYS and RETENTION_RECORDINGS_DAYS are 0: everything is kept.'),
        );
      });
    case undefined:
    case 'help':
    case '--help':
      io.print(usage);
      return;
    default:
      throw new CommandError(`Unknown command "${command}".\n\n${usage}`, 64);
  }
}

/** The database brought up to date first: a command never writes into an older schema. */
async function withDb(config: Config, work: (db: Db) => Promise<void>): Promise<void> {
  const db = createDatabase(config.database);
  try {
    await migrateToLatest(db);
    await work(db);
  } finally {
    await db.destroy();
  }
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new CommandError(`${name} needs a value`, 64);
  return value;
}

async function password(io: CommandIo): Promise<string> {
  const input = (await io.readInput()).split(/\r?\n/)[0] ?? '';
  const parsed = passwordSchema.safeParse(input);
  if (!parsed.success)
    throw new CommandError(`The password (from standard input): ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

async function createUser(db: Db, args: string[], io: CommandIo): Promise<void> {
  const username = args[0];
  if (!username || username.startsWith('--')) throw new CommandError('create-user needs a user name', 64);
  const input = createUserSchema.safeParse({
    username,
    role: option(args, '--role'),
    displayName: option(args, '--name') ?? username,
    password: await password(io),
  });
  if (!input.success) {
    const issue = input.error.issues[0]!;
    throw new CommandError(`${issue.path.join('.') || 'input'}: ${issue.message}`);
  }
  const taken = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', input.data.username)
    .executeTakeFirst();
  if (taken) throw new CommandError(`A user "${input.data.username}" exists already`);
  const now = Date.now();
  const row = await db
    .insertInto('users')
    .values({
      username: input.data.username,
      agent_id: null,
      display_name: input.data.displayName,
      role: input.data.role,
      password_hash: await hashPassword(input.data.password),
      time_zone: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, {
    actor: { kind: 'system', id: null },
    action: 'create',
    entity: 'user',
    entityId: row.id,
    after: { username: input.data.username, role: input.data.role, reason: 'admin command line' },
  });
  io.print(`Created ${input.data.role} "${input.data.username}" (id ${row.id}).`);
}

async function resetPassword(db: Db, args: string[], io: CommandIo): Promise<void> {
  const username = args[0];
  if (!username) throw new CommandError('reset-password needs a user name', 64);
  const user = await db
    .selectFrom('users')
    .select(['id'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!user) throw new CommandError(`No user "${username}"`);
  const hash = await hashPassword(await password(io));
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: hash, updated_at: Date.now() })
      .where('id', '=', user.id)
      .execute();
    // Whoever held the old password is signed out everywhere.
    await tx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
  });
  await recordAudit(db, {
    actor: { kind: 'system', id: null },
    action: 'password.reset',
    entity: 'user',
    entityId: user.id,
    after: { reason: 'admin command line' },
  });
  io.print(`The password of "${username}" is changed; their sessions are ended.`);
}

function sqliteFile(config: Config, command: string): string {
  if (config.database.kind !== 'sqlite')
    throw new CommandError(
      `${command} covers SQLite. For PostgreSQL use its own tools: pg_dump --format=custom --file=switchboard.dump "$DATABASE_URL", and pg_restore --clean --dbname="$DATABASE_URL" switchboard.dump (docs/operations.md).`,
    );
  return config.database.file;
}

async function backup(config: Config, args: string[], io: CommandIo): Promise<void> {
  const file = sqliteFile(config, 'backup');
  const target = args[0];
  if (!target) throw new CommandError('backup needs the file to write', 64);
  if (existsSync(target)) throw new CommandError(`${target} exists already: choose a new file`);
  if (!existsSync(file)) throw new CommandError(`There is no database at ${file}`);
  // SQLite's online backup: a consistent copy while the server goes on writing.
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await source.backup(target);
    io.print(`Backed up ${file} to ${target} (${totalPages} pages).`);
  } finally {
    source.close();
  }
}

async function restore(config: Config, args: string[], io: CommandIo): Promise<void> {
  const file = sqliteFile(config, 'restore');
  const from = args[0];
  if (!from) throw new CommandError('restore needs the backup file', 64);
  if (!existsSync(from)) throw new CommandError(`There is no file ${from}`);
  let check: SQLite.Database | null = null;
  try {
    check = new SQLite(from, { readonly: true, fileMustExist: true });
    const ok = check
      .prepare("select count(*) as n from sqlite_master where name = 'kysely_migration'")
      .get() as {
      n: number;
    };
    if (ok.n !== 1) throw new CommandError(`${from} is not a Switchboard database`);
    if ((check.pragma('integrity_check', { simple: true }) as string) !== 'ok')
      throw new CommandError(`${from} fails SQLite's integrity check`);
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw new CommandError(`${from} is not a readable SQLite database: ${(err as Error).message}`);
  } finally {
    check?.close();
  }
  if (existsSync(file)) {
    // Its write-ahead log folded in first, so the kept copy is the whole database.
    const current = new SQLite(file, { fileMustExist: true });
    try {
      current.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      current.close();
    }
    const kept = `${file}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    copyFileSync(file, kept);
    io.print(`The current database is kept as ${path.basename(kept)}.`);
  }
  // The restored file is whole: a write-ahead log left by the replaced database must not replay onto it.
  for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  copyFileSync(from, file);
  io.print(`Restored ${from} to ${file}. Start the server: it brings the schema up to date.`);
}
