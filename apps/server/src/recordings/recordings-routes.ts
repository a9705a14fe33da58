import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  idParamSchema,
  type Recording,
  type RecordingListResponse,
  recordingSearchQuerySchema,
} from '@switchboard/shared';
import { type Context, Hono } from 'hono';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { refuseNumberSearchWhenMasked } from '../cdr/cdr-routes';
import { likeContains, numberCondition } from '../cdr/cdr-search';
import type { Database } from '../db/schema';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseParams, parseQuery } from '../http/validate';
import { parseRange, resolveRecordingFile } from './recording-file';

/** Recording List: search, play with seeking (Range) and download as WAV. */
export function recordingsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  searchRoute(app, deps);
  audioRoutes(app, deps);
  return app;
}

type SearchQuery = ReturnType<typeof recordingSearchQuerySchema.parse>;

/** The search's conditions; agents see only their own recordings. */
function recordingFilter({ db }: AppDeps, q: SearchQuery, user: { id: number; role: string }) {
  return (eb: ExpressionBuilder<Database, 'recordings' | 'calls'>) => {
    const w: Expression<SqlBool>[] = [];
    if (user.role === 'agent') w.push(eb('recordings.agent_user_id', '=', user.id));
    if (q.from !== undefined) w.push(eb('recordings.started_at', '>=', q.from));
    if (q.to !== undefined) w.push(eb('recordings.started_at', '<=', q.to));
    if (q.type) w.push(eb('calls.type', '=', q.type));
    if (q.customer) {
      const pattern = likeContains(q.customer);
      w.push(
        eb(
          'calls.customer_id',
          'in',
          eb
            .selectFrom('customers')
            .select('customers.id')
            .where(sql<SqlBool>`lower(customers.name) like ${pattern} escape '\\'`),
        ),
      );
    }
    if (q.number) w.push(numberCondition(db, q.number));
    return eb.and(w);
  };
}

/** The list, filtered and paged, with numbers masked for roles that must not see them. */
function searchRoute(app: Hono<AppEnv>, deps: AppDeps) {
  const { db, settings } = deps;
  app.get('/recordings', requireRole('agent'), async (c) => {
    const q = parseQuery(c, recordingSearchQuerySchema);
    const user = c.get('user')!;
    const mask = await settings.numberMaskerFor(user.role);
    refuseNumberSearchWhenMasked(mask('1') !== '1', q.number);
    const where = recordingFilter(deps, q, user);
    const base = () => db.selectFrom('recordings').innerJoin('calls', 'calls.id', 'recordings.call_id');
    const [rows, total] = await Promise.all([
      base()
        .leftJoin('customers', 'customers.id', 'calls.customer_id')
        .leftJoin('users', 'users.id', 'recordings.agent_user_id')
        .leftJoin('queues', 'queues.id', 'calls.queue_id')
        .select([
          'recordings.id',
          'recordings.call_id',
          'recordings.started_at',
          'recordings.duration_ms',
          'recordings.size_bytes',
          'recordings.status',
          'recordings.agent_user_id',
          'calls.type',
          'calls.customer_number',
          'customers.name as customer_name',
          'users.display_name as agent_name',
          'queues.name as queue_name',
        ])
        .where(where)
        .orderBy('recordings.started_at', 'desc')
        .orderBy('recordings.id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      base().select(sql<number>`count(*)`.as('n')).where(where).executeTakeFirstOrThrow(),
    ]);
    const recordings: Recording[] = rows.map((r) => ({
      id: r.id,
      callId: r.call_id,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
      sizeBytes: r.size_bytes,
      status: r.status,
      type: r.type,
      customerNumber: mask(r.customer_number),
      customerName: r.customer_name,
      agentUserId: r.agent_user_id,
      agentName: r.agent_name,
      queueName: r.queue_name,
    }));
    const body: RecordingListResponse = {
      recordings,
      total: Number(total.n),
      page: q.page,
      pageSize: q.pageSize,
      numbersMasked: mask('1') !== '1',
    };
    return c.json(body);
  });
}

/** Playing with seeking (Range) and downloading, for whoever may see the recording. */
function audioRoutes(app: Hono<AppEnv>, { db, config }: AppDeps) {
  /** The recording's file, or 404 when the caller may not see it or the file is gone. */
  async function visibleFile(id: number, user: { id: number; role: string }) {
    const rec = await db
      .selectFrom('recordings')
      .select(['id', 'path', 'agent_user_id', 'started_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!rec || (user.role === 'agent' && rec.agent_user_id !== user.id)) {
      throw ApiError.notFound('No such recording');
    }
    const file = await resolveRecordingFile(config.recordingsDir, rec.path);
    if (!file) throw ApiError.notFound('The recording file is missing');
    return { rec, ...file };
  }

  const audio = (forceDownload: boolean) => async (c: Context<AppEnv>) => {
    const { id } = parseParams(c, idParamSchema);
    const download = forceDownload || c.req.query('download') === '1';
    const { rec, file, size } = await visibleFile(id, c.get('user')!);
    const name = `recording-${rec.id}-${new Date(rec.started_at).toISOString().slice(0, 19).replace(/[:T]/g, '-')}.wav`;
    const headers: Record<string, string> = {
      'content-type': 'audio/wav',
      'accept-ranges': 'bytes',
      'cache-control': 'private, no-store',
      'content-disposition': `${download ? 'attachment' : 'inline'}; filename="${name}"`,
    };
    const range = parseRange(c.req.header('range'), size);
    if (range === 'unsatisfiable') {
      return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const length = size === 0 ? 0 : end - start + 1;
    headers['content-length'] = String(length);
    if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    if (c.req.method === 'HEAD' || length === 0) {
      return new Response(null, { status: range ? 206 : 200, headers });
    }
    const stream = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
    return new Response(stream, { status: range ? 206 : 200, headers });
  };

  app.get('/recordings/:id/audio', requireRole('agent'), audio(false));
  app.get('/recordings/:id/download', requireRole('agent'), audio(true));
}
