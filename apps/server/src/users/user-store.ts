import type {
  createUserSchema,
  extensionInputSchema,
  updateExtensionSchema,
  updateUserSchema,
} from '@switchboard/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { unlessTaken } from '../admin/admin-helpers';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';
import { ApiError } from '../http/api-error';

export type UserRow = Selectable<Database['users']>;
export type ExtensionRow = Selectable<Database['extensions']>;
type NewExtension = z.output<typeof extensionInputSchema>;

/** An extension's columns from the API's input; only a SIP extension keeps a secret. */
function extensionColumns(userId: number, input: NewExtension, now: number) {
  return {
    user_id: userId,
    number: input.number,
    type: input.type,
    sip_secret: input.type === 'sip' ? (input.sipSecret ?? null) : null,
    recording_enabled: input.recordingEnabled ? 1 : 0,
    created_at: now,
  };
}

const fieldConflict = (field: string, message: string, summary = message) =>
  ApiError.conflict(summary, { fields: [{ field, message }] });

/**
 * Users, their extension and their queue memberships in the database. Password hashes and SIP
 * secrets go in and never come back out of here in the API's shape.
 */
export class UserStore {
  constructor(private readonly db: Db) {}

  async get(id: number): Promise<UserRow> {
    const u = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!u) throw ApiError.notFound('No such user');
    return u;
  }

  /** 409 naming the field when a username, agent ID or extension number is already someone's. */
  async assertFree(fields: { username?: string; agentId?: string | null; extension?: string }) {
    const userWith = (column: 'username' | 'agent_id', value: string) =>
      this.db.selectFrom('users').select('id').where(column, '=', value).executeTakeFirst();
    const { username, agentId, extension } = fields;
    if (username && (await userWith('username', username))) {
      throw fieldConflict(
        'username',
        `Username ${username} is already in use`,
        `username: ${username} is taken`,
      );
    }
    if (agentId && (await userWith('agent_id', agentId))) {
      throw fieldConflict('agentId', `Agent ID ${agentId} is already in use`, `agentId: ${agentId} is taken`);
    }
    const extensionTaken =
      extension &&
      (await this.db
        .selectFrom('extensions')
        .select('id')
        .where('number', '=', extension)
        .executeTakeFirst());
    if (extensionTaken) {
      throw fieldConflict(
        'extension.number',
        `Extension ${extension} is already in use; choose another number`,
      );
    }
  }

  /** The user, their extension and (for those who take calls) their agent state, in one transaction. */
  async create(input: z.output<typeof createUserSchema>, passwordHash: string): Promise<number> {
    const now = Date.now();
    return unlessTaken(
      this.db.transaction().execute(async (tx) => {
        const user = await tx
          .insertInto('users')
          .values({
            username: input.username,
            agent_id: input.agentId,
            display_name: input.displayName,
            role: input.role,
            password_hash: passwordHash,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (input.extension) {
          await tx
            .insertInto('extensions')
            .values(extensionColumns(user.id, input.extension, now))
            .execute();
        }
        if (input.role !== 'admin') {
          await tx
            .insertInto('agent_states')
            .values({ user_id: user.id, status: 'logged_out', reason: null, changed_at: now })
            .execute();
        }
        return user.id;
      }),
      () => ApiError.conflict('The username, agent ID or extension is taken'),
    );
  }

  async queueIdsOf(userId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('queue_members')
      .select('queue_id')
      .where('user_id', '=', userId)
      .execute();
    return rows.map((m) => m.queue_id);
  }

  /** 400 unless every queue exists and the user may take queue calls (administrators do not). */
  private async checkQueues(role: UserRow['role'], queueIds: number[] | undefined): Promise<void> {
    if (queueIds?.length && role === 'admin') {
      throw ApiError.badRequest('queueIds: Administrators do not take queue calls', {
        fields: [{ field: 'queueIds', message: 'Administrators do not take queue calls' }],
      });
    }
    if (!queueIds?.length) return;
    const known = await this.db.selectFrom('queues').select('id').where('id', 'in', queueIds).execute();
    const missing = queueIds.filter((q) => !known.some((k) => k.id === q));
    if (missing.length) {
      const message = `No such queue: ${missing.join(', ')}`;
      throw ApiError.badRequest(`queueIds: ${message}`, { fields: [{ field: 'queueIds', message }] });
    }
  }

  /**
   * Applies a change of a user and, when `queueIds` is given, makes them the user's queues (added
   * ones join with penalty 0, kept ones keep theirs). Answers the queues the user had before.
   */
  async update(user: UserRow, input: z.output<typeof updateUserSchema>): Promise<{ queuesBefore: number[] }> {
    const role = input.role ?? user.role;
    const queueIds = input.queueIds ? [...new Set(input.queueIds)] : undefined;
    await this.checkQueues(role, queueIds);
    const set: {
      display_name?: string;
      role?: UserRow['role'];
      disabled?: number;
      time_zone?: string | null;
      updated_at: number;
    } = { updated_at: Date.now() };
    if (input.displayName !== undefined) set.display_name = input.displayName;
    if (input.role !== undefined) set.role = input.role;
    if (input.disabled !== undefined) set.disabled = input.disabled ? 1 : 0;
    if (input.timeZone !== undefined) set.time_zone = input.timeZone;
    const queuesBefore = await this.queueIdsOf(user.id);
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('users').set(set).where('id', '=', user.id).execute();
      // Becoming an administrator leaves the queues: administrators take no queue calls.
      const wanted = role === 'admin' ? [] : queueIds;
      if (wanted === undefined) return;
      if (wanted.length) {
        await tx
          .deleteFrom('queue_members')
          .where('user_id', '=', user.id)
          .where('queue_id', 'not in', wanted)
          .execute();
      } else {
        await tx.deleteFrom('queue_members').where('user_id', '=', user.id).execute();
      }
      for (const queueId of wanted.filter((q) => !queuesBefore.includes(q))) {
        await tx
          .insertInto('queue_members')
          .values({ queue_id: queueId, user_id: user.id, penalty: 0 })
          .execute();
      }
    });
    return { queuesBefore };
  }

  async setPasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: Date.now() })
      .where('id', '=', id)
      .execute();
  }

  async extensionOf(userId: number): Promise<ExtensionRow | undefined> {
    return this.db.selectFrom('extensions').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  /** Gives a user without one an extension with a free number. */
  async addExtension(userId: number, input: NewExtension): Promise<number> {
    const existing = await this.db
      .selectFrom('extensions')
      .select('id')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (existing) throw ApiError.conflict('This user already has an extension');
    await this.assertFree({ extension: input.number });
    const ext = await this.db
      .insertInto('extensions')
      .values(extensionColumns(userId, input, Date.now()))
      .returning('id')
      .executeTakeFirstOrThrow();
    return ext.id;
  }

  /**
   * Changes an extension: its number (when free), web ↔ SIP (a SIP one needs a secret, a web one
   * keeps none), a new secret, recording. Answers the type it has now.
   */
  async updateExtension(
    ext: ExtensionRow,
    input: z.output<typeof updateExtensionSchema>,
  ): Promise<{ type: ExtensionRow['type'] }> {
    if (input.number !== undefined && input.number !== ext.number)
      await this.assertFree({ extension: input.number });
    const type = input.type ?? ext.type;
    const secret = input.sipSecret !== undefined ? input.sipSecret : ext.sip_secret;
    if (type === 'sip' && !secret) {
      throw ApiError.badRequest('sipSecret: A SIP extension needs a SIP secret', {
        fields: [{ field: 'sipSecret', message: 'A SIP extension needs a SIP secret' }],
      });
    }
    await unlessTaken(
      this.db
        .updateTable('extensions')
        .set({
          ...(input.number !== undefined ? { number: input.number } : {}),
          type,
          sip_secret: type === 'sip' ? secret : null,
          ...(input.recordingEnabled !== undefined
            ? { recording_enabled: input.recordingEnabled ? 1 : 0 }
            : {}),
        })
        .where('id', '=', ext.id)
        .execute(),
      () => ApiError.conflict(`Extension ${input.number} is already in use; choose another number`),
    );
    return { type };
  }
}
