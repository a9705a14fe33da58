import {
  type Customer,
  type CustomerCall,
  type CustomerLookupResponse,
  type customerCreateSchema,
  type customerListQuerySchema,
  type customerLookupQuerySchema,
  type customerUpdateSchema,
  digitsOnly,
  errorCodes,
} from '@switchboard/shared';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { z } from 'zod';
import { LoginThrottle } from '../auth/login-throttle';
import { ApiError } from '../http/api-error';
import type { AppDeps } from '../http/deps';
import { fieldError, fieldsError } from '../http/validate';
import type { Viewer } from '../http/viewer';
import {
  type CustomerCallRow,
  customerIdsByNumber,
  deleteCustomer,
  findCall,
  findVisibleCustomer,
  insertCustomer,
  matchesSearch,
  type PhoneEntry,
  pageOfCustomers,
  presentCustomers,
  recentCalls,
  updateCustomer,
  visibleCustomers,
} from './customer-store';
import { checkPhone } from './phones';
import { searchTerms } from './search';

type Problem = { field: string; message: string };

/** Normalises every phone or answers 400 naming each bad one as `phones.<index>`. */
function normalisePhones(phones: string[], country: string): string[];
function normalisePhones(phones: PhoneEntry[], country: string): PhoneEntry[];
function normalisePhones(phones: PhoneEntry[], country: string): PhoneEntry[] {
  const fields: Problem[] = [];
  const out = phones.map((p, i) => {
    if (typeof p !== 'string') return p;
    const checked = checkPhone(p, country);
    if (!checked.ok) fields.push({ field: `phones.${i}`, message: checked.message });
    return checked.ok ? checked.e164 : '';
  });
  if (fields.length) throw fieldsError(fields);
  const seen = new Set<string>();
  out.forEach((p, i) => {
    const key = typeof p === 'string' ? p : `#${p.id}`;
    if (seen.has(key)) fields.push({ field: `phones.${i}`, message: 'This number is already in the list' });
    seen.add(key);
  });
  if (fields.length) throw fieldsError(fields);
  return out;
}

export type CustomerServiceDeps = Pick<AppDeps, 'db' | 'config' | 'callControl' | 'queues'>;

/** Customers as the desk works with them: who may see, look up, change and remove which. */
export class CustomerService {
  // Number searches per agent while numbers are masked (each one is a guess at a hidden number).
  private readonly numberSearches = new LoginThrottle(30, 60_000);

  constructor(private readonly deps: CustomerServiceDeps) {}

  list(viewer: Viewer, query: z.infer<typeof customerListQuerySchema>) {
    const filter = query.q ? this.searchFilter(viewer, query.q) : null;
    return pageOfCustomers(this.deps.db, viewer, filter, query);
  }

  /**
   * The ids of the customers the viewer may see that the search box's `q` finds, by name, at most
   * `max` (a campaign's source); the same rules as the list, masked numbers included.
   */
  async matchingIds(viewer: Viewer, q: string, max: number): Promise<number[]> {
    const rows = await visibleCustomers(this.deps.db, viewer)
      .where(this.searchFilter(viewer, q))
      .select('customers.id')
      .orderBy(sql`lower(customers.name)`)
      .orderBy('customers.id')
      .limit(max)
      .execute();
    return rows.map((r) => r.id);
  }

  /** The search box's filter; with masked numbers a number is searched as a whole, and not too often. */
  private searchFilter(viewer: Viewer, q: string): Expression<SqlBool> {
    if (!viewer.masked || !searchTerms(q).digits) return matchesSearch(q);
    const key = `customer-number-search:${viewer.user.id}`;
    const wait = this.numberSearches.retryAfterMs([key]);
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
    this.numberSearches.recordFailure([key]);
    const whole = checkPhone(q, this.deps.config.defaultCountry);
    return matchesSearch(q, whole.ok ? digitsOnly(whole.e164) : null);
  }

  /**
   * The call if the viewer may look its caller up: supervisors any call; an agent the call they took,
   * or the queue call their phone is ringing for right now (the screen pop opens on the offer).
   */
  private async callForViewer(viewer: Viewer, ref: number | string): Promise<CustomerCallRow | null> {
    const call = await findCall(this.deps.db, ref);
    if (!call) return null;
    if (viewer.seesAll || call.agent_user_id === viewer.user.id) return call;
    if (this.deps.callControl.involves(call.call_uuid, viewer.user.id)) return call;
    const offered =
      call.queue_id !== null &&
      this.deps.queues
        .waiting(call.queue_id)
        .some((w) => w.call.callId === call.call_uuid && w.ringing.includes(viewer.user.id));
    return offered ? call : null;
  }

  /** The customers of a call's caller (agents) or of a number (supervisors). */
  async lookup(
    viewer: Viewer,
    query: z.infer<typeof customerLookupQuerySchema>,
  ): Promise<CustomerLookupResponse> {
    let number: string | null = null;
    let linkedId: number | null = null;
    let found: CustomerCallRow | null = null;
    if (query.callId !== undefined) {
      found = await this.callForViewer(viewer, query.callId);
      if (!found) throw ApiError.notFound('No such call');
      number = found.customer_number;
      linkedId = found.customer_id;
    } else {
      if (!viewer.seesAll) throw ApiError.forbidden('Agents look customers up by their call, not by number');
      const checked = checkPhone(query.number!, this.deps.config.defaultCountry);
      number = checked.ok ? checked.e164 : query.number!;
    }
    const ids = await customerIdsByNumber(this.deps.db, viewer, number ? digitsOnly(number) : '', linkedId);
    return {
      number: viewer.maskNullable(number),
      call: found
        ? { id: found.id, callId: found.call_uuid, queueName: found.queue_name, startedAt: found.started_at }
        : null,
      customers: await presentCustomers(this.deps.db, viewer, ids),
    };
  }

  /** The customer as the viewer sees it (the caller has checked that they may). */
  async present(viewer: Viewer, id: number): Promise<Customer> {
    const [customer] = await presentCustomers(this.deps.db, viewer, [id]);
    return customer!;
  }

  async detail(viewer: Viewer, id: number): Promise<{ customer: Customer; recentCalls: CustomerCall[] }> {
    await findVisibleCustomer(this.deps.db, viewer, id);
    const customer = await this.present(viewer, id);
    return { customer, recentCalls: await recentCalls(this.deps.db, viewer, id) };
  }

  /**
   * The numbers of a new customer's phones. `{ callId }` is the caller's number of a call the viewer
   * may see, read here so masked digits never travel; such a call not yet linked becomes the customer's.
   */
  private async phonesFromCalls(viewer: Viewer, phones: z.infer<typeof customerCreateSchema>['phones']) {
    const fromCalls: number[] = [];
    const typed: string[] = [];
    for (const [i, p] of phones.entries()) {
      if (typeof p === 'string') {
        typed.push(p);
        continue;
      }
      const call = await this.callForViewer(viewer, p.callId);
      const problem = !call
        ? 'No such call'
        : !call.customer_number
          ? 'This call has no caller number'
          : null;
      if (problem) throw fieldError(`phones.${i}`, problem);
      typed.push(call!.customer_number!);
      if (call!.customer_id === null) fromCalls.push(call!.id);
    }
    return { typed, fromCalls };
  }

  /** A new customer of the viewer's; returns its id. */
  async create(viewer: Viewer, body: z.infer<typeof customerCreateSchema>): Promise<number> {
    const { typed, fromCalls } = await this.phonesFromCalls(viewer, body.phones);
    const phones = normalisePhones(typed, this.deps.config.defaultCountry);
    return insertCustomer(this.deps.db, viewer.user.id, { ...body, phones }, fromCalls);
  }

  async update(viewer: Viewer, id: number, body: z.infer<typeof customerUpdateSchema>): Promise<void> {
    const before = await findVisibleCustomer(this.deps.db, viewer, id);
    const phones = body.phones ? normalisePhones(body.phones, this.deps.config.defaultCountry) : null;
    await updateCustomer(this.deps.db, before, body, phones, viewer.user.id);
  }

  /** A customer once added stays for its agent: only supervisors remove customers. */
  async remove(viewer: Viewer, id: number): Promise<void> {
    const before = await findVisibleCustomer(this.deps.db, viewer, id);
    if (!viewer.seesAll) throw ApiError.forbidden('Agents cannot delete customers; ask a supervisor');
    await deleteCustomer(this.deps.db, before, viewer.user.id);
  }
}
