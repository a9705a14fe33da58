import type { Config } from '../../config';
import type { Db } from '../database';

const DEFAULT_SETTINGS: Record<string, unknown> = {
  numberMasking: { mode: 'off', keepFirst: 2, keepLast: 2, exemptSupervisors: true },
};

/** What every database needs, demo or production: default settings and the trunk named by the environment. */
export async function ensureDefaults(db: Db, config: Config, now = Date.now()): Promise<void> {
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    await db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value), updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }
  if (config.trunk) {
    const existing = await db
      .selectFrom('trunks')
      .select('id')
      .where('name', '=', 'default')
      .executeTakeFirst();
    const values = {
      uri: config.trunk.uri,
      username: config.trunk.username ?? null,
      password: config.trunk.password ?? null,
      register: config.trunk.username ? 1 : 0,
    };
    if (existing) await db.updateTable('trunks').set(values).where('id', '=', existing.id).execute();
    else
      await db
        .insertInto('trunks')
        .values({ name: 'default', created_at: now, ...values })
        .execute();
  }
}
