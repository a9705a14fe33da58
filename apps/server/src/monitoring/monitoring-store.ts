import {
  defaultMonitoringSettings,
  type MonitoringSettings,
  monitoringSettingsSchema,
} from '@switchboard/shared';
import type { Db } from '../db/database';
import { readSetting, writeSetting } from '../settings/settings-row';

const SETTINGS_KEY = 'monitoring';

/** What monitoring reads from the database: who a supervisor is, whose queues, the setting. */
export class MonitoringStore {
  constructor(private readonly db: Db) {}

  /** The user's name and first extension (the phone monitoring rings), or null without one. */
  async monitorer(userId: number): Promise<{ userId: number; name: string; extension: string } | null> {
    const row = await this.db
      .selectFrom('users')
      .innerJoin('extensions', 'extensions.user_id', 'users.id')
      .select(['users.id', 'users.display_name', 'users.username', 'extensions.number'])
      .where('users.id', '=', userId)
      .orderBy('extensions.id')
      .executeTakeFirst();
    return row ? { userId: row.id, name: row.display_name || row.username, extension: row.number } : null;
  }

  /** The queues `userId` belongs to. */
  async queuesOf(userId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('queue_members')
      .select('queue_id')
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => r.queue_id);
  }

  settings(): Promise<MonitoringSettings> {
    return readSetting(this.db, SETTINGS_KEY, monitoringSettingsSchema, defaultMonitoringSettings);
  }

  setSettings(value: MonitoringSettings): Promise<void> {
    return writeSetting(this.db, SETTINGS_KEY, value);
  }
}
