import { campaignCustomerSourceSchema } from '@switchboard/shared';
import type { Hono } from 'hono';
import { importSlicer } from '../csv/import-slicer';
import { CustomerService } from '../customers/customer-service';
import { DialTaskStore, type TaskValues } from '../dial-tasks/dial-task-store';
import { asFieldError } from '../dial-tasks/dial-tasks-routes';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { fieldError, parseBody, parseParams } from '../http/validate';
import { viewerOf } from '../http/viewer';
import { idParams } from './campaign-params';

/** As many customers as a campaign takes tasks at once. */
const MAX_CUSTOMERS = 10_000;
const DAY_MS = 86_400_000;

/**
 * A CRM search as a campaign's source (docs/dialer.md, "Campaigns"): a dial task for each customer
 * found, on their first number, written and added to the campaign in one transaction.
 */
export function customerSourceRoutes(app: Hono<AppEnv>, deps: AppDeps, changed: (id: number) => void) {
  const { store } = deps.campaigns;
  const customers = new CustomerService(deps);
  const tasks = new DialTaskStore(deps.db, deps.config.defaultCountry);

  app.post('/campaigns/:id/tasks/from-customers', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    const body = await parseBody(c, campaignCustomerSourceSchema);
    const viewer = await viewerOf(c, deps);
    await store.find(viewer, id);
    const assigned = await asFieldError(() => tasks.findAgent(body.assignedUserId, 'assignedUserId'));
    const ids = await customers.matchingIds(viewer, body.q, MAX_CUSTOMERS + 1);
    if (ids.length > MAX_CUSTOMERS)
      throw fieldError(
        'q',
        `The search finds more than ${MAX_CUSTOMERS.toLocaleString('en')} customers: narrow it`,
      );
    const numbers = await firstNumbers(deps, ids);
    if (numbers.size === 0) throw fieldError('q', 'The search finds no customer with a phone number');
    const now = Date.now();
    const values: TaskValues[] = ids
      .filter((customerId) => numbers.has(customerId))
      .map((customerId) => ({
        customer_id: customerId,
        number: numbers.get(customerId)!,
        assigned_user_id: assigned,
        start_at: now,
        end_at: now + body.days * DAY_MS,
        note: body.note ?? null,
      }));
    const added = await deps.db.transaction().execute(async (tx) => {
      const created = await tasks.importAll(
        values,
        viewer.user.id,
        importSlicer(() => {}),
        tx,
      );
      return store.addTasks(id, created, viewer.user.id, tx);
    });
    changed(id);
    return c.json({ added, withoutNumber: ids.length - added, campaign: await store.load(viewer, id) }, 201);
  });
}

/** Each customer's first number (the one added first), for those that have one. */
async function firstNumbers(deps: AppDeps, customerIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const rows = await deps.db
      .selectFrom('customer_phones')
      .select(['customer_id', 'number'])
      .where('customer_id', 'in', customerIds.slice(i, i + 500))
      .orderBy('id')
      .execute();
    for (const r of rows) if (!out.has(r.customer_id)) out.set(r.customer_id, r.number);
  }
  return out;
}
