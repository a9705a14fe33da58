import {
  type AgentSignIn,
  agentSignInSchema,
  type CallbackBreakerSettings,
  callbackBreakerSettingsSchema,
  defaultAgentSignIn,
  defaultCallbackBreakerSettings,
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
import type { z } from 'zod';
import type { Db } from '../db/database';
import { CachedRead } from '../db/table-writes';

/** Reads and writes the admin settings; a stored value that no longer parses falls back to the default. */
export class SettingsStore {
  /** Settings are read on every call (masking): kept in memory until written (`CachedRead`). */
  private readonly reads = new Map<keyof Settings, CachedRead<unknown>>();

  constructor(private readonly db: Db) {}

  private read<T>(key: keyof Settings, schema: z.ZodType<T>, fallback: T): Promise<T> {
    let cached = this.reads.get(key);
    if (!cached) {
      cached = new CachedRead(this.db, ['settings'], () => this.readNow(key, schema, fallback));
      this.reads.set(key, cached);
    }
    return cached.get() as Promise<T>;
  }

  /** A stored setting, or `fallback` when it is missing or no longer parses. */
  private async readNow<T>(key: keyof Settings, schema: z.ZodType<T>, fallback: T): Promise<T> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return fallback;
    try {
      const parsed = schema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : fallback;
    } catch {
      return fallback;
    }
  }

  numberMasking(): Promise<NumberMasking> {
    return this.read('numberMasking', numberMaskingSchema, defaultNumberMasking);
  }

  /** The state an Offline agent signs in to (Offline unless an administrator chose otherwise). */
  agentSignIn(): Promise<AgentSignIn> {
    return this.read('agentSignIn', agentSignInSchema, defaultAgentSignIn);
  }

  rating(): Promise<RatingSettings> {
    return this.read('rating', ratingSettingsSchema, defaultRatingSettings);
  }

  callbackBreaker(): Promise<CallbackBreakerSettings> {
    return this.read('callbackBreaker', callbackBreakerSettingsSchema, defaultCallbackBreakerSettings);
  }

  async all(): Promise<Settings> {
    return {
      numberMasking: await this.numberMasking(),
      agentSignIn: await this.agentSignIn(),
      rating: await this.rating(),
      callbackBreaker: await this.callbackBreaker(),
    };
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
