import {
  createUserSchema,
  extensionInputSchema,
  idParamSchema,
  resetPasswordSchema,
  updateExtensionSchema,
  updateUserSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { hashPassword } from '../auth/password';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { audit, isUniqueViolation } from './admin-helpers';

/**
 * Users and extensions (admin). The list is GET /api/admin/users in routes/directory.ts. Secrets and
 * password hashes never leave the server; audit entries say that a secret changed, not what it is.
 */
export function usersRoutes(deps: AppDeps) {
  const { db, sessions } = deps;
  const app = new Hono<AppEnv>();
  app.use('/admin/users/*', requireRole('admin'));
  app.use('/admin/users', requireRole('admin'));

  async function userOr404(id: number) {
    const u = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!u) throw ApiError.notFound('No such user');
    return u;
  }
  async function assertFree(fields: { username?: string; agentId?: string | null; extension?: string }) {
    if (fields.username) {
      const u = await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', fields.username)
        .executeTakeFirst();
      if (u)
        throw ApiError.conflict(`username: ${fields.username} is taken`, {
          fields: [{ field: 'username', message: `Username ${fields.username} is already in use` }],
        });
    }
    if (fields.agentId) {
      const u = await db
        .selectFrom('users')
        .select('id')
        .where('agent_id', '=', fields.agentId)
        .executeTakeFirst();
      if (u)
        throw ApiError.conflict(`agentId: ${fields.agentId} is taken`, {
          fields: [{ field: 'agentId', message: `Agent ID ${fields.agentId} is already in use` }],
        });
    }
    if (fields.extension) {
      const e = await db
        .selectFrom('extensions')
        .select('id')
        .where('number', '=', fields.extension)
        .executeTakeFirst();
      if (e) {
        const message = `Extension ${fields.extension} is already in use; choose another number`;
        throw ApiError.conflict(message, { fields: [{ field: 'extension.number', message }] });
      }
    }
  }

  app.post('/admin/users', async (c) => {
    const input = await parseBody(c, createUserSchema);
    await assertFree({
      username: input.username,
      agentId: input.agentId,
      extension: input.extension?.number,
    });
    const now = Date.now();
    const passwordHash = await hashPassword(input.password);
    try {
      const id = await db.transaction().execute(async (tx) => {
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
            .values({
              user_id: user.id,
              number: input.extension.number,
              type: input.extension.type,
              sip_secret: input.extension.type === 'sip' ? (input.extension.sipSecret ?? null) : null,
              recording_enabled: input.extension.recordingEnabled ? 1 : 0,
              created_at: now,
            })
            .execute();
        }
        if (input.role !== 'admin') {
          await tx
            .insertInto('agent_states')
            .values({ user_id: user.id, status: 'logged_out', reason: null, changed_at: now })
            .execute();
        }
        return user.id;
      });
      await audit(db, c, {
        action: 'user.create',
        entity: 'user',
        entityId: id,
        after: {
          username: input.username,
          agentId: input.agentId,
          displayName: input.displayName,
          role: input.role,
          extension: input.extension
            ? {
                number: input.extension.number,
                type: input.extension.type,
                recordingEnabled: input.extension.recordingEnabled,
              }
            : null,
        },
      });
      // Agent state (queue membership, presence) picks the change up now, not at the next periodic reload.
      await deps.agents.reload();
      return c.json({ id }, 201);
    } catch (err) {
      if (isUniqueViolation(err)) throw ApiError.conflict('The username, agent ID or extension is taken');
      throw err;
    }
  });

  app.patch('/admin/users/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, updateUserSchema);
    const user = await userOr404(id);
    const me = c.get('user')!;
    if (id === me.id && (input.disabled === true || (input.role && input.role !== 'admin'))) {
      throw ApiError.conflict('You cannot disable yourself or remove your own admin role');
    }
    const role = input.role ?? user.role;
    if (input.queueIds?.length && role === 'admin') {
      throw ApiError.badRequest('queueIds: Administrators do not take queue calls', {
        fields: [{ field: 'queueIds', message: 'Administrators do not take queue calls' }],
      });
    }
    const queueIds = input.queueIds ? [...new Set(input.queueIds)] : undefined;
    if (queueIds?.length) {
      const known = await db.selectFrom('queues').select('id').where('id', 'in', queueIds).execute();
      const missing = queueIds.filter((q) => !known.some((k) => k.id === q));
      if (missing.length) {
        const message = `No such queue: ${missing.join(', ')}`;
        throw ApiError.badRequest(`queueIds: ${message}`, { fields: [{ field: 'queueIds', message }] });
      }
    }
    const set: {
      display_name?: string;
      role?: typeof user.role;
      disabled?: number;
      time_zone?: string | null;
      updated_at: number;
    } = { updated_at: Date.now() };
    if (input.displayName !== undefined) set.display_name = input.displayName;
    if (input.role !== undefined) set.role = input.role;
    if (input.disabled !== undefined) set.disabled = input.disabled ? 1 : 0;
    if (input.timeZone !== undefined) set.time_zone = input.timeZone;
    const queuesBefore = (
      await db.selectFrom('queue_members').select('queue_id').where('user_id', '=', id).execute()
    ).map((m) => m.queue_id);
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('users').set(set).where('id', '=', id).execute();
      // Becoming an administrator leaves the queues: administrators take no queue calls.
      const wanted = role === 'admin' ? [] : queueIds;
      if (wanted === undefined) return;
      if (wanted.length) {
        await tx
          .deleteFrom('queue_members')
          .where('user_id', '=', id)
          .where('queue_id', 'not in', wanted)
          .execute();
      } else {
        await tx.deleteFrom('queue_members').where('user_id', '=', id).execute();
      }
      for (const queueId of wanted.filter((q) => !queuesBefore.includes(q))) {
        await tx.insertInto('queue_members').values({ queue_id: queueId, user_id: id, penalty: 0 }).execute();
      }
    });
    // Disabling (or a role change) ends the user's sessions: the next request needs a new login.
    if (input.disabled === true || (input.role !== undefined && input.role !== user.role)) {
      await sessions.destroyForUser(id);
      deps.events.endStreams({ userId: id });
      deps.registrar
        .dropEndedSessions()
        .catch((err) => deps.logger.warn({ err }, 'dropping registrations failed'));
    }
    await audit(db, c, {
      action:
        input.disabled === true ? 'user.disable' : input.disabled === false ? 'user.enable' : 'user.update',
      entity: 'user',
      entityId: id,
      before: {
        displayName: user.display_name,
        role: user.role,
        disabled: user.disabled === 1,
        timeZone: user.time_zone,
        queueIds: queuesBefore,
      },
      after: input,
    });
    // Agent state (queue membership, presence) picks the change up now, not at the next periodic reload.
    await deps.agents.reload();
    if (input.queueIds !== undefined || input.role !== undefined) await deps.queues.reload();
    return c.json({ id });
  });

  app.post('/admin/users/:id/password', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const { password } = await parseBody(c, resetPasswordSchema);
    await userOr404(id);
    await db
      .updateTable('users')
      .set({ password_hash: await hashPassword(password), updated_at: Date.now() })
      .where('id', '=', id)
      .execute();
    await sessions.destroyForUser(id);
    deps.events.endStreams({ userId: id });
    deps.registrar
      .dropEndedSessions()
      .catch((err) => deps.logger.warn({ err }, 'dropping registrations failed'));
    await audit(db, c, { action: 'user.password_reset', entity: 'user', entityId: id });
    return c.json({ id });
  });

  /** Give a user an extension (when they have none). */
  app.post('/admin/users/:id/extension', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, extensionInputSchema);
    await userOr404(id);
    const existing = await db
      .selectFrom('extensions')
      .select('id')
      .where('user_id', '=', id)
      .executeTakeFirst();
    if (existing) throw ApiError.conflict('This user already has an extension');
    await assertFree({ extension: input.number });
    const ext = await db
      .insertInto('extensions')
      .values({
        user_id: id,
        number: input.number,
        type: input.type,
        sip_secret: input.type === 'sip' ? (input.sipSecret ?? null) : null,
        recording_enabled: input.recordingEnabled ? 1 : 0,
        created_at: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(db, c, {
      action: 'extension.create',
      entity: 'extension',
      entityId: ext.id,
      after: { userId: id, number: input.number, type: input.type, recordingEnabled: input.recordingEnabled },
    });
    return c.json({ id: ext.id }, 201);
  });

  /** Recording on/off, web ↔ SIP, a new SIP secret. */
  app.patch('/admin/users/:id/extension', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, updateExtensionSchema);
    await userOr404(id);
    const ext = await db.selectFrom('extensions').selectAll().where('user_id', '=', id).executeTakeFirst();
    if (!ext) throw ApiError.notFound('This user has no extension');
    if (input.number !== undefined && input.number !== ext.number)
      await assertFree({ extension: input.number });
    const type = input.type ?? ext.type;
    const secret = input.sipSecret !== undefined ? input.sipSecret : ext.sip_secret;
    if (type === 'sip' && !secret) {
      throw ApiError.badRequest('sipSecret: A SIP extension needs a SIP secret', {
        fields: [{ field: 'sipSecret', message: 'A SIP extension needs a SIP secret' }],
      });
    }
    await db
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
      .execute()
      .catch((err) => {
        if (isUniqueViolation(err))
          throw ApiError.conflict(`Extension ${input.number} is already in use; choose another number`);
        throw err;
      });
    if (input.number !== undefined && input.number !== ext.number) {
      // The old number's registrations belong to nobody now; the agent registers the new one.
      deps.registrar
        .dropEndedSessions()
        .catch((err) => deps.logger.warn({ err }, 'dropping registrations failed'));
      await deps.agents.reload();
    }
    await audit(db, c, {
      action: 'extension.update',
      entity: 'extension',
      entityId: ext.id,
      before: { number: ext.number, type: ext.type, recordingEnabled: ext.recording_enabled === 1 },
      after: {
        number: input.number ?? ext.number,
        type,
        recordingEnabled: input.recordingEnabled ?? ext.recording_enabled === 1,
        sipSecretChanged: input.sipSecret !== undefined,
      },
    });
    return c.json({ id: ext.id });
  });

  return app;
}
