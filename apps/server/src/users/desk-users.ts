import type { Db } from '../db/database';

/**
 * An active agent or supervisor, who can own customers, callback plans and dial tasks: by user ID,
 * or by username or agent ID as typed in a file. Null when there is no such user.
 */
export async function findDeskUserId(db: Db, ref: number | string): Promise<number | null> {
  let q = db
    .selectFrom('users')
    .select('id')
    .where('role', 'in', ['agent', 'supervisor'])
    .where('disabled', '=', 0);
  q =
    typeof ref === 'number'
      ? q.where('id', '=', ref)
      : q.where((eb) => eb.or([eb('username', '=', ref), eb('agent_id', '=', ref)]));
  const row = await q.executeTakeFirst();
  return row?.id ?? null;
}
