import {
  type CdrRecord,
  type CdrSearchResponse,
  cdrExportQuerySchema,
  cdrSearchQuerySchema,
  cdrTypeLabel,
  errorCodes,
  formatMinor,
  microsPerMinor,
  type RecentCdrResponse,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { type CsvValue, csvResponse } from '../csv/csv-response';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseParams, parseQuery } from '../http/validate';
import { callDetail } from './cdr-detail';
import { type CdrRow, type CdrViewer, iterateCdr, recentCdr, searchCdr } from './cdr-search';

type Masker = (n: string | null) => string | null;

/** `/cdr/:id/detail`: the call's row id. */
export const cdrDetailParamsSchema = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
});

/**
 * A viewer who sees masked numbers may not search by number: matching fragments one digit at a time
 * would reveal the hidden digits. 400 naming the field, like any other refused input.
 */
export function refuseNumberSearchWhenMasked(masked: boolean, number: string | undefined): void {
  if (!masked || number === undefined) return;
  const message = 'Number search is not available while numbers are masked for you';
  throw new ApiError(400, errorCodes.validation, `number: ${message}`, {
    fields: [{ field: 'number', message }],
  });
}

export function toCdrRecord(r: CdrRow, mask: Masker): CdrRecord {
  return {
    id: r.id,
    callUuid: r.call_uuid,
    type: r.type,
    service: r.service,
    startedAt: r.started_at,
    answeredAt: r.answered_at,
    endedAt: r.ended_at,
    durationS: r.duration_s,
    ringTimeS: r.ring_time_s,
    disposition: r.disposition,
    wrapupCode: r.wrapup_code,
    wrapupNote: r.wrapup_note,
    customerNumber: mask(r.customer_number),
    customerId: r.customer_id,
    customerName: r.customer_name,
    queueId: r.queue_id,
    queueName: r.queue_name,
    agentUserId: r.agent_user_id,
    agentName: r.agent_name,
    hangupCause: r.hangup_cause,
    recordingId: r.recording_id,
    ...costOf(r),
  };
}

/** What the call cost its prepaid subscriber, as text in the currency (null when not rated). */
function costOf(r: CdrRow): { cost: string | null; costCurrency: string | null } {
  if (r.cost_micros === null || r.cost_micros === undefined || !r.cost_currency) {
    return { cost: null, costCurrency: null };
  }
  return {
    cost: formatMinor(Math.ceil(Number(r.cost_micros) / microsPerMinor(r.cost_currency)), r.cost_currency),
    costCurrency: r.cost_currency,
  };
}

/**
 * The export's columns. The shared CSV writer defuses every text cell a spreadsheet could read as a
 * formula (OWASP "CSV injection"), whatever the column: caller IDs come from the network, and an
 * E.164 number then shows as text with its `+` instead of being turned into a number.
 */
const csvHeader = [
  'Call ID',
  'Started (UTC)',
  'Type',
  'Queue',
  'Agent',
  'Customer',
  'Customer number',
  'Disposition',
  'Wrap-up code',
  'Wrap-up note',
  'Duration (s)',
  'Ring time (s)',
  'Hangup cause',
  'Cost',
  'Currency',
];

function csvRow(r: CdrRow, mask: Masker): CsvValue[] {
  const { cost, costCurrency } = costOf(r);
  return [
    r.id,
    new Date(r.started_at).toISOString(),
    cdrTypeLabel(r.type, r.service),
    r.queue_name,
    r.agent_name,
    r.customer_name,
    mask(r.customer_number),
    r.disposition,
    r.wrapup_code,
    r.wrapup_note,
    r.duration_s,
    r.ring_time_s,
    r.hangup_cause,
    cost,
    costCurrency,
  ];
}

/** Statistics → CDR: search with totals, CSV export, and the agent's recent calls. */
export function cdrRoutes(deps: AppDeps) {
  const { db, settings } = deps;
  const app = new Hono<AppEnv>();
  app.use('/cdr', requireRole('agent'));
  app.use('/cdr/*', requireRole('agent'));

  const viewerOf = (user: { id: number; role: CdrViewer['role'] }): CdrViewer => ({
    userId: user.id,
    role: user.role,
  });

  app.get('/cdr', async (c) => {
    const q = parseQuery(c, cdrSearchQuerySchema);
    const user = c.get('user')!;
    const mask = await settings.numberMaskerFor(user.role);
    const numbersMasked = mask('1') !== '1';
    refuseNumberSearchWhenMasked(numbersMasked, q.number);
    const { sort, order, page, pageSize, ...filters } = q;
    const { rows, totals, wrapupCodes } = await searchCdr(
      db,
      { filters, sort, order, page, pageSize },
      viewerOf(user),
    );
    const body: CdrSearchResponse = {
      records: rows.map((r) => toCdrRecord(r, mask)),
      totals,
      wrapupCodes,
      page,
      pageSize,
      numbersMasked,
    };
    return c.json(body);
  });

  /** The queues to pick from in the search form (names only). */
  app.get('/cdr/queues', async (c) => {
    const queues = await db.selectFrom('queues').select(['id', 'name']).orderBy('name').execute();
    return c.json({ queues });
  });

  app.get('/cdr/recent', async (c) => {
    const user = c.get('user')!;
    const mask = await settings.numberMaskerFor(user.role);
    const rows = await recentCdr(db, user.id, 20);
    const body: RecentCdrResponse = {
      records: rows.map((r) => toCdrRecord(r, mask)),
      numbersMasked: mask('1') !== '1',
    };
    return c.json(body);
  });

  /** Call detail: every leg, step, time, the recording and the quality of one call. */
  app.get('/cdr/:id/detail', async (c) => {
    const { id } = parseParams(c, cdrDetailParamsSchema);
    const user = c.get('user')!;
    const mask = await settings.numberMaskerFor(user.role);
    const detail = await callDetail(db, id, { userId: user.id, role: user.role }, mask);
    if (!detail) throw new ApiError(404, errorCodes.notFound, 'No such call');
    return c.json(detail);
  });

  app.get('/cdr/export.csv', async (c) => {
    const q = parseQuery(c, cdrExportQuerySchema);
    const user = c.get('user')!;
    const mask = await settings.numberMaskerFor(user.role);
    refuseNumberSearchWhenMasked(mask('1') !== '1', q.number);
    const { sort, order, ...filters } = q;
    const batches = iterateCdr(db, { filters, sort, order }, viewerOf(user));
    const rows = (async function* () {
      for await (const batch of batches) yield batch.map((r) => csvRow(r, mask));
    })();
    const stamp = new Date().toISOString().slice(0, 10);
    return csvResponse(`cdr-${stamp}.csv`, csvHeader, rows, (err) =>
      deps.logger.error({ err }, 'CDR export failed'),
    );
  });

  return app;
}
