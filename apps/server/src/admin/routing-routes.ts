import { idParamSchema, type Trunk, trunkInputSchema, trunkUpdateSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import type { TrunksTable } from '../db/schema';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { audit, conflictOnUnique } from './admin-helpers';

function trunkOut(t: {
  id: number;
  name: string;
  uri: string;
  username: string | null;
  password: string | null;
  transport: TrunksTable['transport']['__select__'];
  register: number;
  enabled: number;
  caller_id: string | null;
  inbound_addresses?: string | null;
}): Trunk {
  let inboundAddresses: string[] = [];
  try {
    const parsed: unknown = t.inbound_addresses ? JSON.parse(t.inbound_addresses) : [];
    if (Array.isArray(parsed)) inboundAddresses = parsed.filter((a) => typeof a === 'string');
  } catch {
    // An unreadable value is shown as none; the switch logs it.
  }
  return {
    id: t.id,
    name: t.name,
    uri: t.uri,
    username: t.username,
    hasPassword: !!t.password,
    transport: t.transport,
    register: t.register === 1,
    enabled: t.enabled === 1,
    callerId: t.caller_id,
    inboundAddresses,
  };
}

/** Trunks (admin). */
export function routingRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  for (const p of ['/admin/trunks']) {
    app.use(p, requireRole('admin'));
    app.use(`${p}/*`, requireRole('admin'));
  }

  // Trunks: the password is write-only ------------------------------------------------------------
  const trunkColumns = [
    'id',
    'name',
    'uri',
    'username',
    'password',
    'transport',
    'register',
    'enabled',
    'caller_id',
    'inbound_addresses',
  ] as const;
  // The switch's view of each trunk (registration, keep-alive), and a reload after every change.
  const withLive = (t: Trunk): Trunk => ({ ...t, live: deps.trunks.status(t.id) });
  const reloadTrunks = () => deps.trunks.reload();
  app.get('/admin/trunks', async (c) => {
    const rows = await db.selectFrom('trunks').select(trunkColumns).orderBy('name').execute();
    return c.json({ trunks: rows.map(trunkOut).map(withLive) });
  });
  app.post('/admin/trunks', async (c) => {
    const input = await parseBody(c, trunkInputSchema);
    const row = await db
      .insertInto('trunks')
      .values({
        name: input.name,
        uri: input.uri,
        username: input.username,
        password: input.password || null,
        transport: input.transport,
        register: input.register ? 1 : 0,
        enabled: input.enabled ? 1 : 0,
        caller_id: input.callerId,
        inbound_addresses: JSON.stringify(input.inboundAddresses),
        created_at: Date.now(),
      })
      .returning(trunkColumns)
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A trunk named ${input.name}`));
    const out = trunkOut(row);
    await audit(db, c, { action: 'trunk.create', entity: 'trunk', entityId: row.id, after: out });
    await reloadTrunks();
    return c.json(withLive(out), 201);
  });
  app.patch('/admin/trunks/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, trunkUpdateSchema);
    const before = await db.selectFrom('trunks').select(trunkColumns).where('id', '=', id).executeTakeFirst();
    if (!before) throw ApiError.notFound('No such trunk');
    const row = await db
      .updateTable('trunks')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.uri !== undefined ? { uri: input.uri } : {}),
        ...(input.username !== undefined ? { username: input.username } : {}),
        ...(input.password !== undefined ? { password: input.password || null } : {}),
        ...(input.transport !== undefined ? { transport: input.transport } : {}),
        ...(input.register !== undefined ? { register: input.register ? 1 : 0 } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
        ...(input.callerId !== undefined ? { caller_id: input.callerId } : {}),
        ...(input.inboundAddresses !== undefined
          ? { inbound_addresses: JSON.stringify(input.inboundAddresses) }
          : {}),
      })
      .where('id', '=', id)
      .returning(trunkColumns)
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A trunk named ${input.name}`));
    const out = trunkOut(row);
    await audit(db, c, {
      action: 'trunk.update',
      entity: 'trunk',
      entityId: id,
      before: trunkOut(before),
      after: { ...out, passwordChanged: input.password !== undefined },
    });
    await reloadTrunks();
    return c.json(withLive(out));
  });
  app.delete('/admin/trunks/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const before = await db.selectFrom('trunks').select(trunkColumns).where('id', '=', id).executeTakeFirst();
    if (!before) throw ApiError.notFound('No such trunk');
    await db.deleteFrom('trunks').where('id', '=', id).execute();
    await audit(db, c, { action: 'trunk.delete', entity: 'trunk', entityId: id, before: trunkOut(before) });
    await reloadTrunks();
    return c.body(null, 204);
  });

  return app;
}
