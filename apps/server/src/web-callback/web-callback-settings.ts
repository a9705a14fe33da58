import {
  defaultWebCallbackSettings,
  type WebCallbackSettings,
  webCallbackSettingsSchema,
} from '@switchboard/shared';
import type { Db } from '../db/database';

const KEY = 'webCallback';

/** The web-callback service's settings, kept in the settings table; a value that no longer parses falls back to the default. */
export class WebCallbackSettingsStore {
  constructor(private readonly db: Db) {}

  async get(): Promise<WebCallbackSettings> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', KEY)
      .executeTakeFirst();
    if (!row) return defaultWebCallbackSettings;
    try {
      const parsed = webCallbackSettingsSchema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : defaultWebCallbackSettings;
    } catch {
      return defaultWebCallbackSettings;
    }
  }

  async set(value: WebCallbackSettings, now = Date.now()): Promise<void> {
    const json = JSON.stringify(value);
    await this.db
      .insertInto('settings')
      .values({ key: KEY, value: json, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now }))
      .execute();
  }
}
