import { recordAudit } from '../../audit/audit-log';
import { hashPassword } from '../../auth/password';
import { type Config, ConfigError } from '../../config';
import type { Logger } from '../../observability/logger';
import type { Db } from '../database';

/**
 * A database without an enabled administrator gets the one `ADMIN_USERNAME`/`ADMIN_PASSWORD` names
 * (docs/operations.md, "First start"). In production, where no demo data is written, a server that
 * would start with nobody able to sign in and administer it refuses to start instead.
 */
export async function ensureInitialAdmin(
  db: Db,
  config: Config,
  logger: Logger,
  now = Date.now(),
): Promise<void> {
  const admin = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirst();
  if (admin) return;
  const wanted = config.initialAdmin;
  if (!wanted) {
    if (config.env === 'production')
      throw new ConfigError([
        'ADMIN_USERNAME: the database has no administrator; set ADMIN_USERNAME and ADMIN_PASSWORD for the first start',
      ]);
    logger.warn('the database has no administrator: set ADMIN_USERNAME and ADMIN_PASSWORD to create one');
    return;
  }
  const taken = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', wanted.username)
    .executeTakeFirst();
  if (taken)
    throw new ConfigError([
      `ADMIN_USERNAME: "${wanted.username}" is already a user who is not an enabled administrator; choose another name`,
    ]);
  const row = await db
    .insertInto('users')
    .values({
      username: wanted.username,
      agent_id: null,
      display_name: 'Administrator',
      role: 'admin',
      password_hash: await hashPassword(wanted.password),
      time_zone: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(
    db,
    {
      actor: { kind: 'system', id: null },
      action: 'create',
      entity: 'user',
      entityId: row.id,
      after: { username: wanted.username, role: 'admin', reason: 'initial administrator' },
    },
    now,
  );
  logger.info({ username: wanted.username }, 'created the initial administrator');
}
