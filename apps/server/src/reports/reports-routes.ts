import {
  type AgentReport,
  type CallsReport,
  reportQuerySchema,
  type ServiceLevelReport,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { type CsvValue, csvResponse } from '../csv/csv-response';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseQuery } from '../http/validate';
import { ReportsService } from './reports-service';

/** Rows in batches, so a long hourly report goes out as it is written. */
async function* batched(rows: CsvValue[][], size = 500): AsyncGenerator<CsvValue[][]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

function callsCsv(r: CallsReport) {
  return {
    header: ['Period start', 'Answered', 'Abandoned', 'No answer', 'Busy', 'Failed', 'Abandon rate (%)'],
    rows: r.buckets.map((b) => [
      b.label,
      b.answered,
      b.abandoned,
      b.no_answer,
      b.busy,
      b.failed,
      b.abandonRate,
    ]),
  };
}

function serviceLevelCsv(r: ServiceLevelReport) {
  return {
    header: [
      'Period start',
      'Queue',
      'Threshold (s)',
      'Offered',
      'Answered within',
      'Service level (%)',
      'Target (%)',
    ],
    rows: r.queues.flatMap((q) =>
      r.buckets.map((b, i) => {
        const s = q.series[i]!;
        return [b.label, q.name, q.thresholdSeconds, s.offered, s.answeredWithin, s.percent, q.targetPercent];
      }),
    ),
  };
}

function agentsCsv(r: AgentReport) {
  return {
    header: [
      'Agent',
      'Answered',
      'Talk (s)',
      'Wrap-up (s)',
      'Average handle (s)',
      'Signed in (s)',
      'Paused (s)',
      'Worked (s)',
      'Occupancy (%)',
    ],
    rows: r.agents.map((a) => [
      a.name,
      a.answered,
      a.talkSeconds,
      a.wrapupSeconds,
      a.averageHandleSeconds,
      a.signedInSeconds,
      a.pausedSeconds,
      a.workedSeconds,
      a.occupancyPercent,
    ]),
  };
}

/**
 * `GET /api/reports/{calls,service-level,agents}` (supervisors and administrators): JSON, or with
 * `format=csv` the same figures as a streamed CSV download.
 */
export function reportsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const reports = new ReportsService(deps.db);
  app.use('/reports/*', requireRole('supervisor'));

  const report = <T>(
    name: string,
    compute: (
      q: ReturnType<typeof reportQuerySchema.parse>,
      v: { userId: number; role: 'agent' | 'supervisor' | 'admin' },
    ) => Promise<T>,
    csv: (r: T) => { header: string[]; rows: CsvValue[][] },
  ) =>
    app.get(`/reports/${name}`, async (c) => {
      const q = parseQuery(c, reportQuerySchema);
      const user = c.get('user')!;
      const body = await compute(q, { userId: user.id, role: user.role });
      if (q.format === 'json') return c.json(body as object);
      const { header, rows } = csv(body);
      const stamp = new Date().toISOString().slice(0, 10);
      return csvResponse(`${name}-${stamp}.csv`, header, batched(rows), (err) =>
        deps.logger.error({ err }, 'report export failed'),
      );
    });

  /** The queues the viewer may report on (the filter's choices). */
  app.get('/reports/queues', async (c) => {
    const user = c.get('user')!;
    const ids = user.role === 'admin' ? null : await reports.store.queuesOf(user.id);
    const queues = await reports.store.queues(ids);
    return c.json({ queues: queues.map((q) => ({ id: q.id, name: q.name })) });
  });

  report('calls', (q, v) => reports.calls(q, v), callsCsv);
  report('service-level', (q, v) => reports.serviceLevel(q, v), serviceLevelCsv);
  report('agents', (q, v) => reports.agents(q, v), agentsCsv);
  return app;
}
