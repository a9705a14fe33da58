import type { CurrentUser } from '@switchboard/shared';
import type { Db } from '../db/database';

/** The signed-in user as the API presents them, or null when missing or disabled. */
export async function loadCurrentUser(db: Db, userId: number): Promise<CurrentUser | null> {
  const row = await db
    .selectFrom('users')
    .leftJoin('extensions', 'extensions.user_id', 'users.id')
    .select([
      'users.id',
      'users.username',
      'users.agent_id',
      'users.display_name',
      'users.role',
      'users.time_zone',
      'users.disabled',
      'extensions.number as ext_number',
      'extensions.type as ext_type',
      'extensions.recording_enabled as ext_recording',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!row || row.disabled) return null;
  return {
    id: row.id,
    username: row.username,
    agentId: row.agent_id,
    displayName: row.display_name,
    role: row.role,
    timeZone: row.time_zone,
    extension:
      row.ext_number && row.ext_type
        ? { number: row.ext_number, type: row.ext_type, recordingEnabled: row.ext_recording === 1 }
        : null,
  };
}

/** Login accepts the agent name or the agent ID. */
export async function findUserForLogin(db: Db, login: string) {
  const name = login.trim();
  return db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled'])
    .where((eb) =>
      eb.or([eb(eb.fn('lower', ['username']), '=', name.toLowerCase()), eb('agent_id', '=', name)]),
    )
    .executeTakeFirst();
}
