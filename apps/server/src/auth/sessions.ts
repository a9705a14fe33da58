import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database';
import type { SessionsTable } from '../db/schema';

export type SessionKind = SessionsTable['kind'];

export interface SessionRecord {
  id: string;
  kind: SessionKind;
  userId: number | null;
  subscriberId: number | null;
}

/** The stored session ID for a cookie token. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Server-side sessions. The cookie carries a 256-bit random token; the database keeps only its hash.
 * A session ends at its absolute expiry or after `idleMs` without a request, whichever is first.
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly idleMs: number,
    private readonly maxMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async create(
    kind: SessionKind,
    owner: { userId?: number; subscriberId?: number },
    client: { ip?: string | null; userAgent?: string | null } = {},
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    await this.db
      .insertInto('sessions')
      .values({
        id: hashToken(token),
        kind,
        user_id: owner.userId ?? null,
        subscriber_id: owner.subscriberId ?? null,
        created_at: t,
        last_seen_at: t,
        expires_at: t + this.maxMs,
        ip: client.ip ?? null,
        user_agent: client.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    return token;
  }

  /** The live session for a token, touching its idle clock; null when unknown, idle or expired. */
  async resolve(token: string, kind: SessionKind): Promise<SessionRecord | null> {
    if (token.length < 20 || token.length > 100) return null;
    const id = hashToken(token);
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.kind !== kind) return null;
    const t = this.now();
    if (row.expires_at <= t || row.last_seen_at + this.idleMs <= t) {
      await this.db.deleteFrom('sessions').where('id', '=', id).execute();
      return null;
    }
    // Writing on every request would serialise reads behind writes; a minute's precision is enough.
    if (t - row.last_seen_at > 60_000) {
      await this.db.updateTable('sessions').set({ last_seen_at: t }).where('id', '=', id).execute();
    }
    return { id, kind: row.kind, userId: row.user_id, subscriberId: row.subscriber_id };
  }

  async destroy(token: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
  }

  async destroyForUser(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async purgeExpired(): Promise<void> {
    const t = this.now();
    await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', t), eb('last_seen_at', '<=', t - this.idleMs)]))
      .execute();
  }
}
