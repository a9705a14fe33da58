import {
  type AgentReport,
  type CallsReport,
  errorCodes,
  type ReportQuery,
  type Role,
  type ServiceLevelReport,
} from '@switchboard/shared';
import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import { type Interval, intersect, totalMs, union } from './intervals';
import { type Bucket, reportBuckets } from './report-buckets';
import { type AgentSpanRow, type ReportScope, ReportsStore } from './reports-store';

const DEFAULT_PERIOD_MS = 7 * 86_400_000;
const round1 = (v: number) => Math.round(v * 10) / 10;
const percent = (part: number, whole: number) => (whole === 0 ? null : round1((part / whole) * 100));

export interface ReportViewer {
  userId: number;
  role: Role;
}

/** Statistics → Reports: the figures of docs/supervisor.md "Reports", from `calls`. */
export class ReportsService {
  readonly store: ReportsStore;

  constructor(db: Db) {
    this.store = new ReportsStore(db);
  }

  /**
   * The period, the viewer's queues and the buckets. A supervisor asking for a queue they are not a
   * member of is refused (403), not shown an empty report.
   */
  async scope(
    q: ReportQuery,
    viewer: ReportViewer,
    bucket = q.bucket,
    now = Date.now(),
  ): Promise<{ scope: ReportScope; buckets: Bucket[] }> {
    const to = q.to ?? (q.from !== undefined ? Math.max(now, q.from + 1) : now);
    const from = q.from ?? to - DEFAULT_PERIOD_MS;
    let queueIds: number[] | null = null;
    if (viewer.role !== 'admin') {
      const mine = await this.store.queuesOf(viewer.userId);
      if (q.queueId !== undefined && !mine.includes(q.queueId))
        throw new ApiError(403, errorCodes.forbidden, 'You may only see reports of your own queues');
      queueIds = q.queueId !== undefined ? [q.queueId] : mine;
    } else if (q.queueId !== undefined) queueIds = [q.queueId];
    const buckets = reportBuckets(from, to, bucket, q.tz);
    if (!buckets) {
      const message =
        bucket === 'hour' ? 'Hourly reports cover at most 31 days' : 'Daily reports cover at most 366 days';
      throw new ApiError(400, errorCodes.validation, `to: ${message}`, {
        fields: [{ field: 'to', message }],
      });
    }
    return { scope: { from, to, queueIds, agentId: q.agentId }, buckets };
  }

  async calls(q: ReportQuery, viewer: ReportViewer): Promise<CallsReport> {
    const { scope, buckets } = await this.scope(q, viewer);
    const rows = await this.store.callsByOutcome(scope, buckets);
    const totals = { answered: 0, abandoned: 0, no_answer: 0, busy: 0, failed: 0, offered: 0 };
    const out = buckets.map((b, i) => {
      const r = rows.find((x) => x.i === i);
      const f = {
        answered: r?.answered ?? 0,
        abandoned: r?.abandoned ?? 0,
        no_answer: r?.no_answer ?? 0,
        busy: r?.busy ?? 0,
        failed: r?.failed ?? 0,
      };
      for (const k of Object.keys(f) as Array<keyof typeof f>) totals[k] += f[k];
      totals.offered += r?.inbound ?? 0;
      return { start: b.start, label: b.label, ...f, abandonRate: percent(f.abandoned, r?.inbound ?? 0) };
    });
    return {
      bucket: q.bucket,
      timeZone: q.tz,
      from: scope.from,
      to: scope.to,
      buckets: out,
      totals: { ...totals, abandonRate: percent(totals.abandoned, totals.offered) },
    };
  }

  async serviceLevel(q: ReportQuery, viewer: ReportViewer): Promise<ServiceLevelReport> {
    const { scope, buckets } = await this.scope(q, viewer);
    const [queues, rows] = await Promise.all([
      this.store.queues(scope.queueIds),
      this.store.serviceLevel(scope, buckets),
    ]);
    return {
      bucket: q.bucket,
      timeZone: q.tz,
      from: scope.from,
      to: scope.to,
      buckets: buckets.map((b) => ({ start: b.start, label: b.label })),
      queues: queues.map((queue) => {
        let offered = 0;
        let within = 0;
        const series = buckets.map((_, i) => {
          const r = rows.find((x) => x.i === i && x.queueId === queue.id);
          offered += r?.offered ?? 0;
          within += r?.within ?? 0;
          return {
            offered: r?.offered ?? 0,
            answeredWithin: r?.within ?? 0,
            percent: percent(r?.within ?? 0, r?.offered ?? 0),
          };
        });
        return {
          queueId: queue.id,
          name: queue.name,
          thresholdSeconds: queue.service_level_s,
          targetPercent: queue.service_level_target,
          series,
          total: { offered, answeredWithin: within, percent: percent(within, offered) },
        };
      }),
    };
  }

  /**
   * Per agent over the period: handle time from the CDR, and signed-in and paused time from the
   * agents' recorded spans (`agent_sessions`, `agent_pauses`). Spans still open count up to now.
   * Overlapping spans of one agent (signed in on two nodes) count once.
   */
  async agents(q: ReportQuery, viewer: ReportViewer, now = Date.now()): Promise<AgentReport> {
    const { scope } = await this.scope(q, viewer, 'day', now);
    const calls = await this.store.agentCalls(scope);
    const callers = calls.map((c) => c.agentUserId);
    const [sessions, pauses] = await Promise.all([
      this.store.agentSpans(scope, 'sessions', callers),
      this.store.agentSpans(scope, 'pauses', callers),
    ]);
    const until = Math.min(scope.to, now);
    const spansOf = (rows: AgentSpanRow[], userId: number): Interval[] =>
      rows.filter((r) => r.userId === userId).map((r) => [r.start, r.end ?? now]);
    const ids = [...new Set([...calls.map((c) => c.agentUserId), ...sessions.map((s) => s.userId)])];
    const names = await this.store.names(ids);
    const agents = ids
      .filter((id) => names.has(id))
      .map((id) => {
        const c = calls.find((x) => x.agentUserId === id);
        const signedIn = union(spansOf(sessions, id), scope.from, until);
        const paused = intersect(union(spansOf(pauses, id), scope.from, until), signedIn);
        const signedInSeconds = Math.round(totalMs(signedIn) / 1000);
        const pausedSeconds = Math.round(totalMs(paused) / 1000);
        const workedSeconds = signedInSeconds - pausedSeconds;
        const answered = c?.answered ?? 0;
        const handle = (c?.talk ?? 0) + (c?.wrapup ?? 0);
        return {
          agentUserId: id,
          name: names.get(id)!,
          answered,
          talkSeconds: c?.talk ?? 0,
          wrapupSeconds: c?.wrapup ?? 0,
          averageHandleSeconds: answered === 0 ? null : round1(handle / answered),
          signedInSeconds,
          pausedSeconds,
          workedSeconds,
          // Calls on a node whose spans are not recorded, or overlapping (a consult), can count more
          // handling than the time available: capped at 100 %.
          occupancyPercent: workedSeconds <= 0 ? null : Math.min(100, percent(handle, workedSeconds)!),
        };
      })
      .sort((x, y) => x.name.localeCompare(y.name));
    return { from: scope.from, to: scope.to, timeZone: q.tz, agents };
  }
}
