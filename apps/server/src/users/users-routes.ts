import {
  createUserSchema,
  extensionInputSchema,
  idParamSchema,
  resetPasswordSchema,
  updateExtensionSchema,
  updateUserSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { audit } from '../admin/admin-helpers';
import { hashPassword } from '../auth/password';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { UserStore } from './user-store';

/** Registrations of numbers or users that are gone are dropped in the background. */
function dropEndedRegistrations(deps: AppDeps): void {
  deps.registrar
    .dropEndedSessions()
    .catch((err) => deps.logger.warn({ err }, 'dropping registrations failed'));
}

/** The user's sessions, live streams and registrations end: the next request needs a new login. */
async function signOut(deps: AppDeps, userId: number): Promise<void> {
  await deps.sessions.destroyForUser(userId);
  deps.events.endStreams({ userId });
  dropEndedRegistrations(deps);
}

/**
 * Users and extensions (admin). The list is GET /api/admin/users in routes/directory.ts. Secrets and
 * password hashes never leave the server; audit entries say that a secret changed, not what it is.
 */
export function usersRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('/admin/users/*', requireRole('admin'));
  app.use('/admin/users', requireRole('admin'));
  const users = new UserStore(deps.db);
  registerUserRoutes(app, deps, users);
  registerExtensionRoutes(app, deps, users);
  return app;
}

function registerUserRoutes(app: Hono<AppEnv>, deps: AppDeps, users: UserStore) {
  const { db } = deps;

  app.post('/admin/users', async (c) => {
    const input = await parseBody(c, createUserSchema);
    await users.assertFree({
      username: input.username,
      agentId: input.agentId,
      extension: input.extension?.number,
    });
    const id = await users.create(input, await hashPassword(input.password));
    const { extension } = input;
    await audit(db, c, {
      action: 'user.create',
      entity: 'user',
      entityId: id,
      after: {
        username: input.username,
        agentId: input.agentId,
        displayName: input.displayName,
        role: input.role,
        extension: extension
          ? { number: extension.number, type: extension.type, recordingEnabled: extension.recordingEnabled }
          : null,
      },
    });
    // Agent state (queue membership, presence) picks the change up now, not at the next periodic reload.
    await deps.agents.reload();
    return c.json({ id }, 201);
  });

  app.patch('/admin/users/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, updateUserSchema);
    const user = await users.get(id);
    if (id === c.get('user')!.id && (input.disabled === true || (input.role && input.role !== 'admin'))) {
      throw ApiError.conflict('You cannot disable yourself or remove your own admin role');
    }
    const { queuesBefore } = await users.update(user, input);
    if (input.disabled === true || (input.role !== undefined && input.role !== user.role))
      await signOut(deps, id);
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
    await users.get(id);
    await users.setPasswordHash(id, await hashPassword(password));
    await signOut(deps, id);
    await audit(db, c, { action: 'user.password_reset', entity: 'user', entityId: id });
    return c.json({ id });
  });
}

function registerExtensionRoutes(app: Hono<AppEnv>, deps: AppDeps, users: UserStore) {
  const { db } = deps;

  /** Give a user an extension (when they have none). */
  app.post('/admin/users/:id/extension', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, extensionInputSchema);
    await users.get(id);
    const extId = await users.addExtension(id, input);
    await audit(db, c, {
      action: 'extension.create',
      entity: 'extension',
      entityId: extId,
      after: { userId: id, number: input.number, type: input.type, recordingEnabled: input.recordingEnabled },
    });
    return c.json({ id: extId }, 201);
  });

  /** Recording on/off, web ↔ SIP, a new SIP secret. */
  app.patch('/admin/users/:id/extension', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, updateExtensionSchema);
    await users.get(id);
    const ext = await users.extensionOf(id);
    if (!ext) throw ApiError.notFound('This user has no extension');
    const { type } = await users.updateExtension(ext, input);
    if (input.number !== undefined && input.number !== ext.number) {
      // The old number's registrations belong to nobody now; the agent registers the new one.
      dropEndedRegistrations(deps);
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
}
