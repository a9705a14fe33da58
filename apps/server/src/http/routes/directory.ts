import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import type { AppDeps } from '../deps';
import { requireRole } from '../middleware/require-role';

/** Who works here: the supervisor's agent list and the administrator's user list. */
export function directoryRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  agentListRoute(app, deps);
  userListRoute(app, deps);
  return app;
}

/** The supervisor's agent list: extension, registration on this node and current state. */
function agentListRoute(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps;
  app.get('/agents', requireRole('supervisor'), async (c) => {
    const rows = await db
      .selectFrom('users')
      .leftJoin('extensions', 'extensions.user_id', 'users.id')
      .leftJoin('agent_states', 'agent_states.user_id', 'users.id')
      .select([
        'users.id',
        'users.username',
        'users.agent_id',
        'users.display_name',
        'users.role',
        'extensions.number as extension',
        'extensions.type as extension_type',
        'agent_states.status',
        'agent_states.reason',
        'agent_states.changed_at',
      ])
      .where('users.role', 'in', ['agent', 'supervisor'])
      .where('users.disabled', '=', 0)
      .orderBy('users.display_name')
      .execute();
    return c.json({
      agents: rows.map((r) => ({
        id: r.id,
        username: r.username,
        agentId: r.agent_id,
        displayName: r.display_name,
        role: r.role,
        extension: r.extension
          ? {
              number: r.extension,
              type: r.extension_type,
              // This node's registrar: whether the browser or desk phone can be reached.
              registration: deps.registrar.registration(r.extension),
            }
          : null,
        state: { status: r.status ?? 'logged_out', reason: r.reason, since: r.changed_at },
      })),
    });
  });
}

/** The administrator's user list: role, queues and extension settings. */
function userListRoute(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps;
  app.get('/admin/users', requireRole('admin'), async (c) => {
    const rows = await db
      .selectFrom('users')
      .leftJoin('extensions', 'extensions.user_id', 'users.id')
      .select([
        'users.id',
        'users.username',
        'users.agent_id',
        'users.display_name',
        'users.role',
        'users.disabled',
        'users.time_zone',
        'extensions.id as extension_id',
        'extensions.number as extension',
        'extensions.type as extension_type',
        'extensions.recording_enabled',
        'extensions.sip_secret',
      ])
      .orderBy('users.username')
      .execute();
    const memberships = await db.selectFrom('queue_members').select(['user_id', 'queue_id']).execute();
    return c.json({
      users: rows.map((r) => ({
        id: r.id,
        username: r.username,
        agentId: r.agent_id,
        displayName: r.display_name,
        role: r.role,
        disabled: r.disabled === 1,
        timeZone: r.time_zone,
        queueIds: memberships.filter((m) => m.user_id === r.id).map((m) => m.queue_id),
        extension: r.extension
          ? {
              id: r.extension_id,
              number: r.extension,
              type: r.extension_type,
              recordingEnabled: r.recording_enabled === 1,
              // Whether a SIP secret is set; the secret itself never leaves the server.
              hasSipSecret: !!r.sip_secret,
            }
          : null,
      })),
    });
  });
}
