import {
  customerCreateSchema,
  customerListQuerySchema,
  customerLookupQuerySchema,
  customerUpdateSchema,
  digitsOnly,
  errorCodes,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log';
import { LoginThrottle } from '../auth/login-throttle';
import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { type Viewer, viewerOf } from '../http/viewer';
import { CallRecords } from '../switch/call-records';
import {
  lastContactSql,
  matchesSearch,
  presentCustomers,
  recentCalls,
  visibleCustomers,
} from './customer-store';
import { checkPhone } from './phones';
import { searchTerms } from './search';

export const idParams = z.object({
  id: z.coerce.number().int('id must be a whole number').positive('id must be positive'),
});

/** Normalises every phone or answers 400 naming each bad one as `phones.<index>`. */
function normalisePhones(phones: (string | { id: number })[], country: string) {
  const fields: { field: string; message: string }[] = [];
  const out = phones.map((p, i) => {
    if (typeof p !== 'string') return p;
    const checked = checkPhone(p, country);
    if (!checked.ok) fields.push({ field: `phones.${i}`, message: checked.message });
    return checked.ok ? checked.e164 : '';
  });
  if (fields.length) {
    const first = fields[0]!;
    throw new ApiError(400, errorCodes.validation, `${first.field}: ${first.message}`, { fields });
  }
  const seen = new Set<string>();
  out.forEach((p, i) => {
    const key = typeof p === 'string' ? p : `#${p.id}`;
    if (seen.has(key)) fields.push({ field: `phones.${i}`, message: 'This number is already in the list' });
    seen.add(key);
  });
  if (fields.length) {
    const first = fields[0]!;
    throw new ApiError(400, errorCodes.validation, `${first.field}: ${first.message}`, { fields });
  }
  return out;
}

/** The customer row if the viewer may see it; otherwise 404, so nobody learns what others hold. */
export async function findVisibleCustomer(db: Db, viewer: Viewer, id: number) {
  const row = await visibleCustomers(db, viewer)
    .selectAll('customers')
    .where('customers.id', '=', id)
    .executeTakeFirst();
  if (!row) throw ApiError.notFound('No such customer');
  return row;
}

/** CRM → Customer Management. */
export function customersApi(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  // Number searches per agent while numbers are masked (each one is a guess at a hidden number).
  const numberSearches = new LoginThrottle(30, 60_000);
  app.use('/customers', requireRole('agent'));
  app.use('/customers/*', requireRole('agent'));

  app.get('/customers', async (c) => {
    const query = parseQuery(c, customerListQuerySchema);
    const viewer = await viewerOf(c, deps);
    let base = visibleCustomers(db, viewer);
    if (query.q) {
      if (viewer.masked && searchTerms(query.q).digits) {
        // Masked numbers: a number is searched as a whole (exact match), and not too often.
        const key = `customer-number-search:${viewer.user.id}`;
        const wait = numberSearches.retryAfterMs([key]);
        if (wait > 0) {
          const seconds = Math.ceil(wait / 1000);
          throw new ApiError(
            429,
            errorCodes.throttled,
            `Too many number searches. Try again in ${seconds} seconds.`,
            { retryAfterSeconds: seconds },
            { 'Retry-After': String(seconds) },
          );
        }
        numberSearches.recordFailure([key]);
        const whole = checkPhone(query.q, deps.config.defaultCountry);
        base = base.where(matchesSearch(query.q, whole.ok ? digitsOnly(whole.e164) : null));
      } else {
        base = base.where(matchesSearch(query.q));
      }
    }
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const order = query.order ?? (query.sort === 'name' ? 'asc' : 'desc');
    let list = base.select('customers.id');
    list =
      query.sort === 'name'
        ? list.orderBy(sql`lower(customers.name)`, order)
        : list.orderBy(sql`coalesce(${lastContactSql}, 0)`, order);
    const ids = await list
      .orderBy('customers.id', order)
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute();
    return c.json({
      customers: await presentCustomers(
        db,
        viewer,
        ids.map((r) => r.id),
      ),
      total: Number(total.n),
      page: query.page,
      limit: query.limit,
    });
  });

  /**
   * The call if the viewer may look its caller up: supervisors any call; an agent the call they took,
   * or the queue call their phone is ringing for right now (the screen pop opens on the offer).
   */
  async function callForViewer(viewer: Viewer, ref: number | string) {
    const base = db
      .selectFrom('calls')
      .leftJoin('queues', 'queues.id', 'calls.queue_id')
      .select([
        'calls.id',
        'calls.call_uuid',
        'calls.customer_id',
        'calls.customer_number',
        'calls.agent_user_id',
        'calls.queue_id',
        'calls.started_at',
        'queues.name as queue_name',
      ]);
    const call = await (typeof ref === 'number'
      ? base.where('calls.id', '=', ref)
      : base.where('calls.call_uuid', '=', ref)
    ).executeTakeFirst();
    if (!call) return null;
    if (viewer.seesAll || call.agent_user_id === viewer.user.id) return call;
    if (deps.callControl.involves(call.call_uuid, viewer.user.id)) return call;
    const offered =
      call.queue_id !== null &&
      deps.queues
        .waiting(call.queue_id)
        .some((w) => w.call.callId === call.call_uuid && w.ringing.includes(viewer.user.id));
    return offered ? call : null;
  }

  app.get('/customers/lookup', async (c) => {
    const query = parseQuery(c, customerLookupQuerySchema);
    const viewer = await viewerOf(c, deps);
    let number: string | null = null;
    let linkedId: number | null = null;
    let found: Awaited<ReturnType<typeof callForViewer>> = null;
    if (query.callId !== undefined) {
      found = await callForViewer(viewer, query.callId);
      if (!found) throw ApiError.notFound('No such call');
      number = found.customer_number;
      linkedId = found.customer_id;
    } else {
      if (!viewer.seesAll) throw ApiError.forbidden('Agents look customers up by their call, not by number');
      const checked = checkPhone(query.number!, deps.config.defaultCountry);
      number = checked.ok ? checked.e164 : query.number!;
    }
    const digits = number ? digitsOnly(number) : '';
    const rows = await visibleCustomers(db, viewer)
      .select('customers.id')
      .where((eb) => {
        const byNumber = eb.exists(
          eb
            .selectFrom('customer_phones')
            .select('customer_phones.id')
            .whereRef('customer_phones.customer_id', '=', 'customers.id')
            .where('customer_phones.digits', '=', digits),
        );
        return linkedId === null ? byNumber : eb.or([eb('customers.id', '=', linkedId), byNumber]);
      })
      .orderBy('customers.id')
      .limit(10)
      .execute();
    return c.json({
      number: viewer.maskNullable(number),
      call: found
        ? {
            id: found.id,
            callId: found.call_uuid,
            queueName: found.queue_name,
            startedAt: found.started_at,
          }
        : null,
      customers: await presentCustomers(
        db,
        viewer,
        rows.map((r) => r.id),
      ),
    });
  });

  app.get('/customers/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    await findVisibleCustomer(db, viewer, id);
    const [customer] = await presentCustomers(db, viewer, [id]);
    return c.json({ customer: customer!, recentCalls: await recentCalls(db, viewer, id) });
  });

  app.post('/customers', async (c) => {
    const body = await parseBody(c, customerCreateSchema);
    const viewer = await viewerOf(c, deps);
    // `{ callId }`: the caller's number of a call the viewer may see, read here so masked digits never travel.
    const fromCalls: number[] = [];
    const typed: string[] = [];
    for (const [i, p] of body.phones.entries()) {
      if (typeof p === 'string') {
        typed.push(p);
        continue;
      }
      const call = await callForViewer(viewer, p.callId);
      const problem = !call
        ? 'No such call'
        : !call.customer_number
          ? 'This call has no caller number'
          : null;
      if (problem) {
        throw new ApiError(400, errorCodes.validation, `phones.${i}: ${problem}`, {
          fields: [{ field: `phones.${i}`, message: problem }],
        });
      }
      typed.push(call!.customer_number!);
      if (call!.customer_id === null) fromCalls.push(call!.id);
    }
    const phones = normalisePhones(typed, deps.config.defaultCountry) as string[];
    const now = Date.now();
    const id = await db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('customers')
        .values({
          owner_user_id: viewer.user.id,
          name: body.name,
          company: body.company ?? null,
          email: body.email ?? null,
          notes: body.notes ?? null,
          time_zone: body.timeZone ?? null,
          last_contact_at: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('customer_phones')
        .values(phones.map((n) => ({ customer_id: row.id, number: n, digits: digitsOnly(n), label: null })))
        .execute();
      // The call the customer was saved from is theirs now (CDR and history show the name).
      await CallRecords.linkCustomer(tx, row.id, fromCalls);
      await CallRecords.linkOpenCalls(tx, row.id, viewer.user.id, phones.map(digitsOnly));
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: viewer.user.id },
          action: 'create',
          entity: 'customer',
          entityId: row.id,
          after: { name: body.name, phones },
        },
        now,
      );
      return row.id;
    });
    const [customer] = await presentCustomers(db, viewer, [id]);
    return c.json({ customer: customer! }, 201);
  });

  app.patch('/customers/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const body = await parseBody(c, customerUpdateSchema);
    const viewer = await viewerOf(c, deps);
    const before = await findVisibleCustomer(db, viewer, id);
    const phones = body.phones ? normalisePhones(body.phones, deps.config.defaultCountry) : null;
    const now = Date.now();
    await db.transaction().execute(async (tx) => {
      const existing = await tx
        .selectFrom('customer_phones')
        .select(['id', 'number'])
        .where('customer_id', '=', id)
        .execute();
      if (phones) {
        const kept = new Set<number>();
        const toInsert: string[] = [];
        phones.forEach((p, i) => {
          if (typeof p !== 'string') {
            if (!existing.some((e) => e.id === p.id)) {
              throw new ApiError(
                400,
                errorCodes.validation,
                `phones.${i}: This phone is not one of the customer's`,
                {
                  fields: [{ field: `phones.${i}`, message: "This phone is not one of the customer's" }],
                },
              );
            }
            kept.add(p.id);
            return;
          }
          // A number typed again keeps its row (and the callback plans that point at it).
          const same = existing.find((e) => e.number === p && !kept.has(e.id));
          if (same) kept.add(same.id);
          else toInsert.push(p);
        });
        const removed = existing.filter((e) => !kept.has(e.id)).map((e) => e.id);
        if (removed.length) {
          await tx
            .updateTable('callback_plans')
            .set({ phone_id: null })
            .where('phone_id', 'in', removed)
            .execute();
          await tx.deleteFrom('customer_phones').where('id', 'in', removed).execute();
        }
        if (toInsert.length) {
          await tx
            .insertInto('customer_phones')
            .values(toInsert.map((n) => ({ customer_id: id, number: n, digits: digitsOnly(n), label: null })))
            .execute();
        }
      }
      const update = {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.company !== undefined ? { company: body.company } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.notes !== undefined ? { notes: body.notes } : {}),
        ...(body.timeZone !== undefined ? { time_zone: body.timeZone } : {}),
        updated_at: now,
      };
      await tx.updateTable('customers').set(update).where('id', '=', id).execute();
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: viewer.user.id },
          action: 'update',
          entity: 'customer',
          entityId: id,
          before: {
            name: before.name,
            company: before.company,
            email: before.email,
            notes: before.notes,
            phones: existing.map((e) => e.number),
          },
          after: {
            ...update,
            ...(phones ? { phones: phones.map((p) => (typeof p === 'string' ? p : { id: p.id })) } : {}),
          },
        },
        now,
      );
    });
    const [customer] = await presentCustomers(db, viewer, [id]);
    return c.json({ customer: customer! });
  });

  app.delete('/customers/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    const before = await findVisibleCustomer(db, viewer, id);
    // Seed 004: a contact once added cannot be removed by an agent; supervisors may remove it.
    if (!viewer.seesAll) throw ApiError.forbidden('Agents cannot delete customers; ask a supervisor');
    await db.transaction().execute(async (tx) => {
      // The same as the foreign keys' ON DELETE rules, spelled out for SQLite connections without them.
      await tx.deleteFrom('callback_plans').where('customer_id', '=', id).execute();
      await tx.updateTable('dial_tasks').set({ customer_id: null }).where('customer_id', '=', id).execute();
      await CallRecords.unlinkCustomer(tx, id);
      await tx.deleteFrom('customer_phones').where('customer_id', '=', id).execute();
      await tx.deleteFrom('customers').where('id', '=', id).execute();
      await recordAudit(tx, {
        actor: { kind: 'user', id: viewer.user.id },
        action: 'delete',
        entity: 'customer',
        entityId: id,
        before: { name: before.name, ownerUserId: before.owner_user_id },
      });
    });
    return c.body(null, 204);
  });

  return app;
}
