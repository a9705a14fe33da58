import { errorCodes, type LiveEventType, liveEventTypeNames, maskLiveEvent } from '@switchboard/shared';
import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { hashToken } from '../auth/sessions';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole, requireSubscriber } from '../http/middleware/require-role';
import type { PublishedEvent, Viewer } from './event-bus';

const HEARTBEAT_MS = 15_000;

/** Whether the stream's session is still live, for an enabled user with the role it started with. */
async function sessionStillValid(
  deps: AppDeps,
  token: string,
  userId: number,
  role: string,
): Promise<boolean> {
  const t = Date.now();
  const row = await deps.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.role', 'users.disabled', 'sessions.expires_at', 'sessions.last_seen_at'])
    .where('sessions.id', '=', hashToken(token))
    .where('sessions.user_id', '=', userId)
    .executeTakeFirst()
    .catch(() => undefined);
  if (!row) return false;
  return (
    row.disabled === 0 &&
    row.role === role &&
    row.expires_at > t &&
    row.last_seen_at + deps.config.session.idleMs > t
  );
}

/** `GET /api/events`: the signed-in user's live stream, masked for them, resumable by Last-Event-ID. */
export function eventsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  // Open streams per session: each holds a connection and a subscription, so one session must not
  // be able to open them without bound.
  const open = new Map<string, number>();
  const limit = deps.config.security.eventStreamsPerSession;
  /** Counts the session's open streams; throws 429 over the cap; returns the release. */
  function admit(session: string): () => void {
    const opened = open.get(session) ?? 0;
    if (opened >= limit) {
      deps.metrics.eventStreamsRefused.inc();
      throw new ApiError(
        429,
        errorCodes.throttled,
        `This session already has ${limit} live event streams open; close one (another tab) first`,
      );
    }
    open.set(session, opened + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (open.get(session) ?? 1) - 1;
      if (n <= 0) open.delete(session);
      else open.set(session, n);
    };
  }

  app.get('/events', requireRole('agent'), async (c) => {
    const user = c.get('user')!;
    const session = c.get('sessionToken')!;
    const types = eventTypesOf(c.req.query('types'));
    const release = admit(session);
    const viewer = { userId: user.id, role: user.role };
    let mask: Awaited<ReturnType<typeof deps.settings.numberMaskerFor>>;
    try {
      mask = await deps.settings.numberMaskerFor(user.role);
    } catch (err) {
      release();
      throw err;
    }
    // The desk is open while its live stream is: the last one closing signs the agent out. A stream
    // of some event types only is a display (a wallboard on a wall screen), not a desk.
    const deskClosed = types ? () => {} : deps.agents.deskOpened(user.id);
    return liveStream(c, deps, {
      viewer,
      mask,
      types,
      track: (end) => deps.events.trackStream(user.id, session, end),
      stillValid: () => sessionStillValid(deps, session, user.id, user.role),
      release: () => {
        deskClosed();
        release();
      },
    });
  });

  /** `GET /api/portal/events`: a portal subscriber's own calls (web callback legs), as they happen. */
  app.get('/portal/events', requireSubscriber, async (c) => {
    const subscriberId = c.get('subscriberId')!;
    const session = c.get('portalToken')!;
    const release = admit(session);
    return liveStream(c, deps, {
      viewer: { subscriberId },
      // The subscriber's own numbers: nothing to mask.
      mask: (n) => n,
      track: (end) => deps.events.trackStream(null, session, end),
      stillValid: () => portalSessionStillValid(deps, session, subscriberId),
      release,
    });
  });
  return app;
}

async function portalSessionStillValid(deps: AppDeps, token: string, subscriberId: number) {
  const t = Date.now();
  const row = await deps.db
    .selectFrom('sessions')
    .innerJoin('subscribers', 'subscribers.id', 'sessions.subscriber_id')
    .select(['sessions.expires_at', 'sessions.last_seen_at'])
    .where('sessions.id', '=', hashToken(token))
    .where('sessions.subscriber_id', '=', subscriberId)
    .executeTakeFirst()
    .catch(() => undefined);
  return !!row && row.expires_at > t && row.last_seen_at + deps.config.session.idleMs > t;
}

/**
 * `?types=wallboard,monitor`: only these event types (a display that needs a few of them need not
 * be sent everything its viewer may see). Unknown types are refused, naming them.
 */
function eventTypesOf(query: string | undefined): Set<LiveEventType> | undefined {
  if (query === undefined) return undefined;
  const asked = query.split(',').map((t) => t.trim());
  const unknown = asked.filter((t) => !liveEventTypeNames.includes(t as LiveEventType));
  if (unknown.length || asked.length === 0)
    throw new ApiError(
      400,
      errorCodes.validation,
      `types: unknown event type ${unknown.map((t) => `"${t}"`).join(', ')}; known: ${liveEventTypeNames.join(', ')}`,
      { fields: [{ field: 'types', message: 'unknown event type' }] },
    );
  return new Set(asked as LiveEventType[]);
}

/** What a live stream needs besides the bus: who watches, how numbers are masked, when it ends. */
export interface LiveStreamOptions {
  viewer: Viewer;
  mask: (n: string | null) => string | null;
  /** Only these event types (all the viewer may see when absent). */
  types?: Set<LiveEventType>;
  /** Registers the stream so a logout ends it; returns the unregister. */
  track(end: () => void): () => void;
  /** Checked each heartbeat: a session can end elsewhere (expiry, another node's logout). */
  stillValid(): Promise<boolean>;
  /** Called once when the stream ends. */
  release(): void;
}

/** An SSE stream of the viewer's events, resumable by Last-Event-ID, with heartbeats. */
export function liveStream(c: Context<AppEnv>, deps: AppDeps, o: LiveStreamOptions) {
  // Only a reconnecting stream (Last-Event-ID) gets what it missed; a new one starts from now.
  const resumeFrom = c.req.header('last-event-id') ?? c.req.query('lastEventId');
  const lastId =
    resumeFrom !== undefined && /^\d+$/.test(resumeFrom) ? Number(resumeFrom) : deps.events.latestId;
  return streamSSE(c, async (stream) => {
    const wanted = (e: PublishedEvent) => !o.types || o.types.has(e.event.type);
    const queue: PublishedEvent[] = deps.events.since(lastId, o.viewer).filter(wanted);
    let wake: (() => void) | null = null;
    let ended = false;
    const off = deps.events.subscribe(o.viewer, (e) => {
      if (!wanted(e)) return;
      queue.push(e);
      wake?.();
    });
    const untrack = o.track(() => {
      ended = true;
      wake?.();
    });
    stream.onAbort(() => {
      off();
      untrack();
      o.release();
      wake?.();
    });
    await stream.writeSSE({ event: 'ready', data: JSON.stringify({ at: Date.now() }), retry: 2000 });
    try {
      while (!stream.aborted && !stream.closed && !ended) {
        while (queue.length && !ended) {
          const e = queue.shift()!;
          await stream.writeSSE({
            id: String(e.id),
            event: e.event.type,
            data: JSON.stringify(maskLiveEvent(e.event, o.mask)),
          });
        }
        if (ended) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, HEARTBEAT_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        if (!queue.length && !ended && !(await o.stillValid())) break;
        if (!queue.length && !stream.aborted && !ended) await stream.write(': keep-alive\n\n');
      }
    } finally {
      off();
      untrack();
      o.release();
    }
  });
}
