import type { z } from 'zod';
import type { Db } from '../db/database';

/** A JSON value of the settings table; missing, or no longer parsing under `schema`: the fallback. */
export async function readSetting<T>(db: Db, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export async function writeSetting(db: Db, key: string, value: unknown, now = Date.now()): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ key, value: json, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now }))
    .execute();
}
