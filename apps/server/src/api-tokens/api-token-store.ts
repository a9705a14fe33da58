import { createHash, randomBytes } from 'node:crypto';
import type { ApiToken, ApiTokenCreateRequest, ApiTokenScope, CurrentUser } from '@switchboard/shared';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import { loadCurrentUser } from '../users/current-user';

const SECRET_PREFIX = 'sb_';
// A token's last use is written at most this often, so a busy integration does not write every request.
const LAST_USED_EVERY_MS = 60_000;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface ResolvedToken {
  id: number;
  scopes: ApiTokenScope[];
  requestsPerMinute: number;
  user: CurrentUser;
}

/** API tokens in the database: created and revoked by administrators, resolved on each request. */
export class ApiTokenStore {
  constructor(private readonly db: Db) {}

  async list(): Promise<ApiToken[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users as actor', 'actor.id', 'api_tokens.acts_as_user_id')
      .leftJoin('users as creator', 'creator.id', 'api_tokens.created_by_user_id')
      .select([
        'api_tokens.id',
        'api_tokens.name',
        'api_tokens.prefix',
        'api_tokens.scopes',
        'api_tokens.acts_as_user_id',
        'actor.display_name as actor_name',
        'actor.role as actor_role',
        'api_tokens.requests_per_minute',
        'api_tokens.expires_at',
        'api_tokens.revoked_at',
        'api_tokens.last_used_at',
        'api_tokens.created_at',
        'creator.display_name as creator_name',
      ])
      .orderBy('api_tokens.id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      scopes: JSON.parse(r.scopes) as ApiTokenScope[],
      actsAs: { id: r.acts_as_user_id, displayName: r.actor_name, role: r.actor_role },
      requestsPerMinute: r.requests_per_minute,
      expiresAt: r.expires_at === null ? null : Number(r.expires_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
      lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
      createdAt: Number(r.created_at),
      createdBy: r.creator_name,
    }));
  }

  async create(
    input: Required<Omit<ApiTokenCreateRequest, 'actsAsUserId'>> & { actsAsUserId?: number },
    adminId: number,
    now = Date.now(),
  ): Promise<{ id: number; secret: string }> {
    const actsAs = input.actsAsUserId ?? adminId;
    const user = await loadCurrentUser(this.db, actsAs);
    if (!user)
      throw ApiError.badRequest('actsAsUserId: No active user with this id', {
        fields: [{ field: 'actsAsUserId', message: 'No active user with this id' }],
      });
    const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    const scopes = [...new Set(input.scopes)];
    const id = await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('api_tokens')
        .values({
          name: input.name,
          secret_hash: hashSecret(secret),
          prefix: secret.slice(0, 10),
          scopes: JSON.stringify(scopes),
          acts_as_user_id: actsAs,
          requests_per_minute: input.requestsPerMinute,
          expires_at: input.expiresInDays === null ? null : now + input.expiresInDays * 86_400_000,
          revoked_at: null,
          last_used_at: null,
          created_by_user_id: adminId,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: adminId },
          action: 'create',
          entity: 'api_token',
          entityId: row.id,
          after: { name: input.name, scopes, actsAs, expiresInDays: input.expiresInDays },
        },
        now,
      );
      return row.id;
    });
    return { id, secret };
  }

  async revoke(id: number, adminId: number, now = Date.now()): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('api_tokens')
        .select(['id', 'revoked_at'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw ApiError.notFound('No such API token');
      if (row.revoked_at !== null) return;
      await tx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute();
      await recordAudit(
        tx,
        { actor: { kind: 'user', id: adminId }, action: 'revoke', entity: 'api_token', entityId: id },
        now,
      );
    });
  }

  /** The token a request presents, or a 401 saying why it is refused. */
  async resolve(secret: string, now = Date.now()): Promise<ResolvedToken> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('secret_hash', '=', hashSecret(secret))
      .executeTakeFirst();
    if (!row) throw ApiError.unauthenticated('The API token is not valid');
    if (row.revoked_at !== null) throw ApiError.unauthenticated('The API token has been revoked');
    if (row.expires_at !== null && Number(row.expires_at) <= now)
      throw ApiError.unauthenticated('The API token has expired');
    const user = await loadCurrentUser(this.db, row.acts_as_user_id);
    if (!user) throw ApiError.unauthenticated('The API token’s user is disabled');
    if (row.last_used_at === null || now - Number(row.last_used_at) > LAST_USED_EVERY_MS) {
      await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    return {
      id: row.id,
      scopes: JSON.parse(row.scopes) as ApiTokenScope[],
      requestsPerMinute: row.requests_per_minute,
      user,
    };
  }
}
