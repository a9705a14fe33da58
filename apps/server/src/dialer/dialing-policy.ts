import { type CallbackDialingPolicy, callbackDialingPolicySchema } from '@switchboard/shared';
import type { Db } from '../db/database';

/** The dialing policy every auto-dialled call follows (the `callbackDialing` setting). */
export async function loadCallbackDialingPolicy(db: Db): Promise<CallbackDialingPolicy> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'callbackDialing')
    .executeTakeFirst();
  try {
    const parsed = callbackDialingPolicySchema.safeParse(row ? JSON.parse(row.value) : {});
    if (parsed.success) return parsed.data;
  } catch {
    // a stored value that no longer parses falls back to the defaults
  }
  return callbackDialingPolicySchema.parse({});
}
