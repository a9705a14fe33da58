import {
  defaultNumberMasking,
  defaultRatingSettings,
  maskNumber,
  masksFor,
  type NumberMasking,
  numberMaskingSchema,
  type RatingSettings,
  type Role,
  ratingSettingsSchema,
  type Settings,
} from '@switchboard/shared';
import type { Db } from '../db/database';

/** Reads and writes the admin settings; a stored value that no longer parses falls back to the default. */
export class SettingsStore {
  constructor(private readonly db: Db) {}

  async numberMasking(): Promise<NumberMasking> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'numberMasking')
      .executeTakeFirst();
    if (!row) return defaultNumberMasking;
    try {
      const parsed = numberMaskingSchema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : defaultNumberMasking;
    } catch {
      return defaultNumberMasking;
    }
  }

  async rating(): Promise<RatingSettings> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'rating')
      .executeTakeFirst();
    if (!row) return defaultRatingSettings;
    try {
      const parsed = ratingSettingsSchema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : defaultRatingSettings;
    } catch {
      return defaultRatingSettings;
    }
  }

  async all(): Promise<Settings> {
    return { numberMasking: await this.numberMasking(), rating: await this.rating() };
  }

  async set<K extends keyof Settings>(key: K, value: Settings[K], now = Date.now()): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value), updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: now }))
      .execute();
  }

  /** A function that masks a number for this viewer; identity when the viewer sees numbers whole. */
  async numberMaskerFor(role: Role): Promise<(n: string | null) => string | null> {
    const masking = await this.numberMasking();
    if (!masksFor(role, masking)) return (n) => n;
    return (n) => (n === null ? null : maskNumber(n, masking));
  }
}
