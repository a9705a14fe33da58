import type { DialTask, DialTaskHistoryEntry } from '@switchboard/shared';
import { recordAudit } from '../audit/audit-log';
import { checkPhone } from '../customers/phones';
import type { Db } from '../db/database';
import { inIdOrder, type PageRequest, pageOfIds } from '../db/page-of-ids';
import type { DialTaskResult } from '../db/schema';
import { ApiError } from '../http/api-error';
import type { Viewer } from '../http/viewer';
import { findDeskUserId } from '../users/desk-users';

export type Problem = { field: string; message: string };

/** A field of one task (or one imported row) that cannot be taken, with the reason. */
export class RowProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

export interface TaskValues {
  customer_id: number | null;
  number: string;
  assigned_user_id: number;
  start_at: number;
  end_at: number;
  note: string | null;
}

export type TaskUpdate = Partial<TaskValues> & { result?: DialTaskResult };

/** Rows written per statement (and their audit entries) during an import. */
const IMPORT_WRITE_ROWS = 50;

const historyFieldNames: Record<string, string> = {
  result: 'result',
  number: 'number',
  customer_id: 'customerId',
  assigned_user_id: 'assignedUserId',
  start_at: 'startAt',
  end_at: 'endAt',
  note: 'note',
};

/** Dial tasks in the database: reads in the API's shape, and writes with their audit entries. */
export class DialTaskStore {
  constructor(
    private readonly db: Db,
    private readonly defaultCountry: string,
  ) {}

  async load(viewer: Viewer, ids: number[]): Promise<DialTask[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('dial_tasks')
      .innerJoin('users as a', 'a.id', 'dial_tasks.assigned_user_id')
      .innerJoin('users as c', 'c.id', 'dial_tasks.created_by_user_id')
      .leftJoin('customers', 'customers.id', 'dial_tasks.customer_id')
      .select([
        'dial_tasks.id',
        'dial_tasks.customer_id',
        'customers.name as customer_name',
        'dial_tasks.number',
        'dial_tasks.assigned_user_id',
        'a.display_name as assignee_name',
        'dial_tasks.created_by_user_id',
        'c.display_name as creator_name',
        'dial_tasks.start_at',
        'dial_tasks.end_at',
        'dial_tasks.note',
        'dial_tasks.result',
        'dial_tasks.attempts',
        'dial_tasks.created_at',
        'dial_tasks.updated_at',
      ])
      .where('dial_tasks.id', 'in', ids)
      .execute();
    return inIdOrder(ids, rows, (r) => ({
      id: r.id,
      customer:
        r.customer_id !== null && r.customer_name !== null
          ? { id: r.customer_id, name: r.customer_name }
          : null,
      number: viewer.mask(r.number),
      assignee: { id: r.assigned_user_id, displayName: r.assignee_name },
      createdBy: { id: r.created_by_user_id, displayName: r.creator_name },
      startAt: r.start_at,
      endAt: r.end_at,
      note: r.note,
      result: r.result,
      attempts: r.attempts,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async loadOne(viewer: Viewer, id: number): Promise<DialTask> {
    const [task] = await this.load(viewer, [id]);
    if (!task) throw ApiError.notFound('No such dial task');
    return task;
  }

  /** A page of tasks, oldest start first; agents' lists are their own (the caller narrows). */
  async list(
    viewer: Viewer,
    query: { assignee?: number; result?: DialTaskResult } & PageRequest,
  ): Promise<{ tasks: DialTask[]; total: number }> {
    let base = this.db.selectFrom('dial_tasks');
    if (query.assignee !== undefined) base = base.where('assigned_user_id', '=', query.assignee);
    if (query.result) base = base.where('result', '=', query.result);
    const ordered = base.select('id').orderBy('start_at', 'asc').orderBy('id', 'asc');
    const { ids, total } = await pageOfIds(base, ordered, query);
    return { tasks: await this.load(viewer, ids), total };
  }

  /** An active agent or supervisor by user ID, or by username or agent ID as typed in a file. */
  async findAgent(ref: number | string, field: string): Promise<number> {
    const id = await findDeskUserId(this.db, typeof ref === 'number' ? ref : ref.trim());
    if (id === null) throw new RowProblem({ field, message: `No agent ${JSON.stringify(String(ref))}` });
    return id;
  }

  /** The customer and number a task dials: a typed number wins; else the chosen or first phone. */
  async resolveTarget(input: {
    customerId?: number | null;
    phoneId?: number | null;
    number?: string | null;
  }): Promise<{ customer_id: number | null; number: string }> {
    let customerId: number | null = null;
    let number: string | null = null;
    if (input.customerId != null) {
      const customer = await this.db
        .selectFrom('customers')
        .select('id')
        .where('id', '=', input.customerId)
        .executeTakeFirst();
      if (!customer) throw new RowProblem({ field: 'customerId', message: 'No such customer' });
      customerId = customer.id;
    }
    if (input.number?.trim()) {
      const checked = checkPhone(input.number, this.defaultCountry);
      if (!checked.ok) throw new RowProblem({ field: 'number', message: checked.message });
      number = checked.e164;
    } else if (customerId !== null) {
      let q = this.db.selectFrom('customer_phones').select('number').where('customer_id', '=', customerId);
      if (input.phoneId != null) q = q.where('id', '=', input.phoneId);
      const phone = await q.orderBy('id').executeTakeFirst();
      if (!phone) {
        throw new RowProblem(
          input.phoneId != null
            ? { field: 'phoneId', message: 'This number is not one of the customer’s' }
            : { field: 'customerId', message: 'The customer has no phone number' },
        );
      }
      number = phone.number;
    }
    if (!number) throw new RowProblem({ field: 'number', message: 'Enter a number or choose a customer' });
    return { customer_id: customerId, number };
  }

  /** The task's row, if the viewer may see it (agents only their own); 404 otherwise. */
  async findVisible(viewer: Viewer, id: number) {
    let q = this.db.selectFrom('dial_tasks').selectAll().where('id', '=', id);
    if (!viewer.seesAll) q = q.where('assigned_user_id', '=', viewer.user.id);
    const row = await q.executeTakeFirst();
    if (!row) throw ApiError.notFound('No such dial task');
    return row;
  }

  async create(values: TaskValues, actorId: number): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const now = Date.now();
      const row = await tx
        .insertInto('dial_tasks')
        .values({ ...values, created_by_user_id: actorId, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: actorId },
          action: 'create',
          entity: 'dial_task',
          entityId: row.id,
          after: values,
        },
        now,
      );
      return row.id;
    });
  }

  /** Writes checked rows all or nothing, in statements of a few rows with a turn between them. */
  async importAll(
    values: TaskValues[],
    actorId: number,
    between: (done: number) => Promise<void>,
    within?: Db,
  ): Promise<number[]> {
    const created: number[] = [];
    const write = async (tx: Db) => {
      const now = Date.now();
      for (let i = 0; i < values.length; i += IMPORT_WRITE_ROWS) {
        await between(i);
        const chunk = values.slice(i, i + IMPORT_WRITE_ROWS);
        const ids = await tx
          .insertInto('dial_tasks')
          .values(chunk.map((v) => ({ ...v, created_by_user_id: actorId, created_at: now, updated_at: now })))
          .returning('id')
          .execute();
        for (const [j, r] of ids.entries()) {
          created.push(r.id);
          await recordAudit(
            tx,
            {
              actor: { kind: 'user', id: actorId },
              action: 'import',
              entity: 'dial_task',
              entityId: r.id,
              after: chunk[j],
            },
            now,
          );
        }
      }
    };
    await (within ? write(within) : this.db.transaction().execute(write));
    return created;
  }

  /** Applies the fields that differ from `before`; the audit entry names them (a result alone is `result`). */
  async update(
    before: TaskValues & { id: number; result: DialTaskResult | null },
    update: TaskUpdate,
    actorId: number,
  ): Promise<void> {
    const changedKeys = (Object.keys(update) as (keyof TaskUpdate)[]).filter((k) => update[k] !== before[k]);
    if (!changedKeys.length) return;
    const now = Date.now();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('dial_tasks')
        .set({ ...update, updated_at: now })
        .where('id', '=', before.id)
        .execute();
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: actorId },
          action: changedKeys.length === 1 && changedKeys[0] === 'result' ? 'result' : 'update',
          entity: 'dial_task',
          entityId: before.id,
          before: Object.fromEntries(changedKeys.map((k) => [k, before[k]])),
          after: Object.fromEntries(changedKeys.map((k) => [k, update[k]])),
        },
        now,
      );
    });
  }

  async remove(before: { id: number }, actorId: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('dial_tasks').where('id', '=', before.id).execute();
      // A deleted task leaves its campaign too (a dial already under way finds it gone).
      await tx.deleteFrom('campaign_tasks').where('task_id', '=', before.id).execute();
      await recordAudit(tx, {
        actor: { kind: 'user', id: actorId },
        action: 'delete',
        entity: 'dial_task',
        entityId: before.id,
        before,
      });
    });
  }

  /** Every change of a task from the audit log, numbers masked as the viewer sees them. */
  async history(viewer: Viewer, id: number): Promise<DialTaskHistoryEntry[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_id')
      .select([
        'audit_log.at',
        'audit_log.action',
        'audit_log.before',
        'audit_log.after',
        'users.display_name',
      ])
      .where('audit_log.entity', '=', 'dial_task')
      .where('audit_log.entity_id', '=', String(id))
      .orderBy('audit_log.at', 'asc')
      .orderBy('audit_log.id', 'asc')
      .execute();
    if (rows.length === 0) await this.findVisible(viewer, id);
    return rows.map((r) => {
      const before = r.before ? (JSON.parse(r.before) as Record<string, unknown>) : {};
      const after = r.after ? (JSON.parse(r.after) as Record<string, unknown>) : {};
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
        (k) => k in historyFieldNames,
      );
      const show = (k: string, v: unknown) =>
        k === 'number' && typeof v === 'string' ? viewer.mask(v) : (v ?? null);
      return {
        at: r.at,
        action: r.action,
        actor: r.display_name ?? null,
        changes: keys.map((k) => ({
          field: historyFieldNames[k]!,
          from: show(k, before[k]),
          to: show(k, after[k]),
        })),
      };
    });
  }
}
