import { customerImportSchema, digitsOnly, errorCodes } from '@switchboard/shared';
import { Hono } from 'hono';
import { recordAudit } from '../audit/audit-log';
import { type CsvValue, csvResponse } from '../csv/csv-response';
import { importSlicer } from '../csv/import-slicer';
import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody } from '../http/validate';
import { type Viewer, viewerOf } from '../http/viewer';
import { findDeskUserId } from '../users/desk-users';
import { type CustomerImportRow, readCustomerImport } from './customer-import';
import { visibleCustomers } from './customer-store';

const MAX_IMPORT_ROWS = 50_000;
const EXPORT_BATCH = 500;
const WRITE_ROWS = 100;

/** Every customer the viewer may see, in id order, a batch at a time, with their phones. */
async function* customerBatches(db: Db, viewer: Viewer, phoneColumns: number) {
  let after = 0;
  for (;;) {
    const rows = await visibleCustomers(db, viewer)
      .innerJoin('users', 'users.id', 'customers.owner_user_id')
      .select([
        'customers.id',
        'customers.name',
        'customers.company',
        'customers.email',
        'customers.time_zone',
        'customers.notes',
        'users.username as owner',
      ])
      .where('customers.id', '>', after)
      .orderBy('customers.id')
      .limit(EXPORT_BATCH)
      .execute();
    if (!rows.length) return;
    after = rows.at(-1)!.id;
    const phones = await db
      .selectFrom('customer_phones')
      .select(['customer_id', 'number'])
      .where(
        'customer_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('id')
      .execute();
    yield rows.map((r): CsvValue[] => {
      const own = phones.filter((p) => p.customer_id === r.id).map((p) => viewer.mask(p.number));
      return [
        r.id,
        r.name,
        r.company,
        r.email,
        r.time_zone,
        r.owner,
        r.notes,
        ...Array.from({ length: phoneColumns }, (_, i) => own[i] ?? null),
      ];
    });
  }
}

/** Customers in and out as CSV: export for everyone (their own customers), import for supervisors. */
export function customerCsvRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  app.get('/customers/export.csv', requireRole('agent'), async (c) => {
    const viewer = await viewerOf(c, deps);
    // As many phone columns as the customer with the most numbers has.
    const most = await visibleCustomers(db, viewer)
      .innerJoin('customer_phones', 'customer_phones.customer_id', 'customers.id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('customers.id')
      .orderBy('n', 'desc')
      .limit(1)
      .executeTakeFirst();
    const phoneColumns = Math.max(1, Number(most?.n ?? 1));
    const header = [
      'id',
      'name',
      'company',
      'email',
      'time_zone',
      'owner',
      'notes',
      ...Array.from({ length: phoneColumns }, (_, i) => `phone_${i + 1}`),
    ];
    const count = await visibleCustomers(db, viewer)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const stamp = new Date().toISOString().slice(0, 10);
    return csvResponse(
      `customers-${stamp}.csv`,
      header,
      customerBatches(db, viewer, phoneColumns),
      (err) => deps.logger.error({ err }, 'Customer export failed'),
      Number(count?.n ?? 0),
    );
  });

  app.post('/customers/import', requireRole('supervisor'), async (c) => {
    const body = await parseBody(c, customerImportSchema);
    const viewer = await viewerOf(c, deps);
    // A big file is checked and written in slices; the importer hears how far it has got.
    let total = 0;
    const progress = (phase: 'checking' | 'writing', done: number) =>
      deps.events.publish(
        { type: 'import_progress', kind: 'customers', phase, done, total, at: Date.now() },
        { userIds: [viewer.user.id] },
      );
    const checking = importSlicer((done) => progress('checking', done));
    const owners = new Map<string, number | null>();
    const checked = await readCustomerImport(body.csv, {
      defaultCountry: deps.config.defaultCountry,
      maxRows: MAX_IMPORT_ROWS,
      delimiter: body.delimiter,
      findOwner: async (ref) => {
        if (!owners.has(ref)) owners.set(ref, await findDeskUserId(db, ref));
        return owners.get(ref)!;
      },
      between: (done, rows) => {
        total = rows;
        return checking(done);
      },
    });
    if (!checked.ok)
      throw new ApiError(400, errorCodes.validation, checked.message, {
        rows: checked.rowCount,
        errors: checked.errors,
      });
    total = checked.rows.length;
    await writeCustomers(db, checked.rows, viewer.user.id, (done) => progress('writing', done));
    return c.json({ created: checked.rows.length }, 201);
  });

  return app;
}

/** All rows or none, a few per statement with a turn of the event loop between them. */
async function writeCustomers(
  db: Db,
  rows: CustomerImportRow[],
  actorId: number,
  report: (done: number) => void,
): Promise<void> {
  const between = importSlicer(report);
  await db.transaction().execute(async (tx) => {
    const now = Date.now();
    for (let i = 0; i < rows.length; i += WRITE_ROWS) {
      await between(i);
      const chunk = rows.slice(i, i + WRITE_ROWS);
      const ids = await tx
        .insertInto('customers')
        .values(
          chunk.map((r) => ({
            owner_user_id: r.ownerUserId ?? actorId,
            name: r.name,
            company: r.company,
            email: r.email,
            notes: r.notes,
            time_zone: r.timeZone,
            last_contact_at: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .returning('id')
        .execute();
      await tx
        .insertInto('customer_phones')
        .values(
          chunk.flatMap((r, j) =>
            r.phones.map((n) => ({ customer_id: ids[j]!.id, number: n, digits: digitsOnly(n), label: null })),
          ),
        )
        .execute();
      for (const [j, r] of chunk.entries()) {
        await recordAudit(
          tx,
          {
            actor: { kind: 'user', id: actorId },
            action: 'import',
            entity: 'customer',
            entityId: ids[j]!.id,
            after: { name: r.name, phones: r.phones },
          },
          now,
        );
      }
    }
  });
}
