import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database';

const SECRET_KEY = 'sipCredentialSecret';
const SEPARATOR = '~';
const PREFIX_LENGTH = 22;

export interface WebSipCredential {
  authorizationUser: string;
  password: string;
  expiresAt: number;
}

/**
 * Short-lived SIP credentials for web extensions. The browser never holds the agent's account
 * password: it gets `<extension>~<session reference>` and a password derived from the session by
 * HMAC with a per-installation secret, so the credential dies with the session and every node
 * sharing the database can verify it without storing anything new.
 */
export class WebSipCredentials {
  private secret: Buffer | null = null;

  constructor(
    private readonly db: Db,
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private async loadSecret(): Promise<Buffer> {
    if (this.secret) return this.secret;
    const fresh = randomBytes(32).toString('base64url');
    await this.db
      .insertInto('settings')
      .values({ key: SECRET_KEY, value: JSON.stringify(fresh), updated_at: this.now() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', SECRET_KEY)
      .executeTakeFirstOrThrow();
    this.secret = Buffer.from(JSON.parse(row.value) as string, 'base64url');
    return this.secret;
  }

  private async passwordFor(sessionId: string): Promise<string> {
    return createHmac('sha256', await this.loadSecret())
      .update(sessionId)
      .digest('base64url')
      .slice(0, 32);
  }

  /**
   * A token that opens the SIP WebSocket for a session's softphone (clients that send no cookie
   * with the upgrade): `<session reference>.<HMAC>`, valid while the session lives.
   */
  async upgradeToken(sessionId: string): Promise<string> {
    const mac = createHmac('sha256', await this.loadSecret())
      .update(`ws-upgrade|${sessionId}`)
      .digest('base64url')
      .slice(0, 32);
    return `${sessionId.slice(0, PREFIX_LENGTH)}.${mac}`;
  }

  /** The live user session an upgrade token was issued for, or null. */
  async sessionForUpgradeToken(token: string): Promise<string | null> {
    const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{32})$/.exec(token);
    if (!m) return null;
    const t = this.now();
    const rows = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('sessions.id as sessionId')
      .where((eb) => eb(eb.fn('substr', ['sessions.id', sql.lit(1), sql.lit(PREFIX_LENGTH)]), '=', m[1]!))
      .where('sessions.kind', '=', 'user')
      .where('sessions.expires_at', '>', t)
      .where('sessions.last_seen_at', '>', t - this.idleMs)
      .where('users.disabled', '=', 0)
      .limit(4)
      .execute();
    for (const row of rows) {
      const expected = Buffer.from(await this.upgradeToken(row.sessionId));
      const given = Buffer.from(token);
      if (expected.length === given.length && timingSafeEqual(expected, given)) return row.sessionId;
    }
    return null;
  }

  /** Whether a session id is a live, not idle, user session of an enabled user. */
  async isLiveUserSession(sessionId: string): Promise<boolean> {
    const t = this.now();
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('sessions.id')
      .where('sessions.id', '=', sessionId)
      .where('sessions.kind', '=', 'user')
      .where('sessions.expires_at', '>', t)
      .where('sessions.last_seen_at', '>', t - this.idleMs)
      .where('users.disabled', '=', 0)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The credential for a signed-in session's web extension. */
  async issue(sessionId: string, extension: string): Promise<WebSipCredential> {
    const session = await this.db
      .selectFrom('sessions')
      .select('expires_at')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    return {
      authorizationUser: `${extension}${SEPARATOR}${sessionId.slice(0, PREFIX_LENGTH)}`,
      password: await this.passwordFor(sessionId),
      expiresAt: session.expires_at,
    };
  }

  /**
   * The password digest auth must check for an authorization user, or null when the user is not a
   * live session of an agent who owns that web extension.
   */
  async passwordForAuthorizationUser(
    authorizationUser: string,
  ): Promise<{ extension: string; userId: number; password: string } | null> {
    const at = authorizationUser.indexOf(SEPARATOR);
    if (at <= 0) return null;
    const extension = authorizationUser.slice(0, at);
    const prefix = authorizationUser.slice(at + 1);
    if (!/^[A-Za-z0-9_-]+$/.test(prefix) || prefix.length !== PREFIX_LENGTH) return null;
    const t = this.now();
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .innerJoin('extensions', 'extensions.user_id', 'users.id')
      .select(['sessions.id as sessionId', 'users.id as userId'])
      // substr, not a range or LIKE: collations and LIKE wildcards (`_`) would both bend the match
      .where((eb) => eb(eb.fn('substr', ['sessions.id', sql.lit(1), sql.lit(PREFIX_LENGTH)]), '=', prefix))
      .where('sessions.kind', '=', 'user')
      .where('sessions.expires_at', '>', t)
      .where('sessions.last_seen_at', '>', t - this.idleMs)
      .where('users.disabled', '=', 0)
      .where('extensions.number', '=', extension)
      .where('extensions.type', '=', 'web')
      .executeTakeFirst();
    if (!row) return null;
    return { extension, userId: row.userId, password: await this.passwordFor(row.sessionId) };
  }
}
