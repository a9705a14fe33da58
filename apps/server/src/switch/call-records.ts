import { randomUUID } from 'node:crypto';
import { digitsOnly } from '@switchboard/shared';
import { type RawBuilder, sql } from 'kysely';
import { type Db, isPostgres } from '../db/database';
import type { CallLegsTable, CallsTable, CallType, Disposition } from '../db/schema';
import type { Logger } from '../observability/logger';
import { WriteJournal } from './write-journal';

/**
 * The customer whose number this is, as `viewer` may see them: an agent only their own customers
 * (else the CDR or caller ID would name another agent's contact), a supervisor anyone's, oldest
 * first. No viewer (a call ringing in a queue): the oldest match; only supervisors see that call.
 */
export async function customerOfNumber(
  db: Db,
  digits: string,
  viewer: { id: number; role: string | null } | null,
): Promise<{ id: number; name: string } | null> {
  if (!digits) return null;
  const row = await db
    .selectFrom('customers')
    .innerJoin('customer_phones', 'customer_phones.customer_id', 'customers.id')
    .select(['customers.id', 'customers.name'])
    .where('customer_phones.digits', '=', digits)
    .$if(viewer?.role === 'agent', (q) => q.where('customers.owner_user_id', '=', viewer!.id))
    .orderBy(sql`case when customers.owner_user_id = ${viewer?.id ?? -1} then 0 else 1 end`)
    .orderBy('customers.id')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export interface CallStart {
  type: CallType;
  queueId?: number | null;
  agentUserId?: number | null;
  customerId?: number | null;
  customerNumber?: string | null;
  callerNumber?: string | null;
  calledNumber?: string | null;
  sourceRef?: string | null;
  /** The service that runs the call (call scripts). */
  service?: string | null;
}

export interface LegStart {
  legUuid: string;
  role: CallLegsTable['role'];
  peer: string | null;
  startedAt?: number;
  /** A leg that joins already answered (a consulted party). */
  answeredAt?: number;
}

export interface LegFields {
  answered_at?: number;
  ended_at?: number;
  disposition?: Disposition;
  hangup_cause?: string;
  cost_micros?: number;
}

export interface CallEnd {
  disposition: Disposition;
  hangupCause: string;
  hangupSide: 'customer' | 'agent' | 'system';
  quality?: unknown;
}

/** One step of `calls.transfer_chain`: a transfer, a consult, a queue overflow… (stored as JSON). */
export interface TransferStep {
  at: number;
  kind: string;
}

/**
 * What a caller sent, fit to store: control characters (a NUL from `%00` in a From header, say) are
 * dropped. PostgreSQL refuses NUL in text, and the call must be recorded whatever the caller sent.
 */
export function recordedText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return value.replace(/[\u0000-\u001f\u007f]/g, '');
}

/** The columns of `calls` a call updates as it goes. */
export type CallUpdate = Partial<
  Pick<
    CallsTable,
    'agent_user_id' | 'queue_id' | 'customer_id' | 'recording_id' | 'caller_number' | 'called_number'
  >
>;

/** A recording's outcome: `complete`, or `truncated` when its file could not be written to the end. */
export interface RecordingEnd {
  durationMs: number;
  sizeBytes: number;
  status: 'complete' | 'truncated';
}

/**
 * One write of a call record, as kept in the journal while the database cannot take it. Row ids
 * below zero are provisional: the call, leg or recording was started during the outage and its
 * real id is known once its first write reaches the database.
 */
export type RecordWrite =
  | { op: 'open'; call: number; uuid: string; startedAt: number; start: CallStart }
  | { op: 'update'; call: number; fields: CallUpdate }
  | { op: 'queueIfUnset'; call: number; queueId: number }
  | { op: 'answered'; call: number; at: number; legs?: number[] }
  | { op: 'addTransfer'; call: number; step: TransferStep }
  | { op: 'openLeg'; call: number; leg: number; start: LegStart & { startedAt: number } }
  | { op: 'updateLeg'; leg: number; fields: LegFields }
  | { op: 'close'; call: number; end: CallEnd; at: number; legs?: number[] }
  | {
      op: 'openRecording';
      call: number;
      recording: number;
      agentUserId: number | null;
      path: string;
      startedAt: number;
    }
  | { op: 'completeRecording'; recording: number; end: RecordingEnd };

export interface CallRecordsOptions {
  /** Where writes wait while the database is unreachable (null: in memory only). */
  journalFile?: string | null;
  logger?: Logger;
  /** A write not answered by then is taken as failed and journaled; a stalled database never holds a call. */
  writeTimeoutMs?: number;
  /** Waits between retries of the oldest journaled write: doubling from `minMs` up to `maxMs`. */
  retry?: { minMs: number; maxMs: number };
}

const SQLITE_OUTAGE = /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|PROTOCOL|NOTADB)/;
const NETWORK_OUTAGE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
const CLIENT_OUTAGE = /connection|timeout|timed out|terminated|not queryable|not open|database is locked/i;

/**
 * A failure of the database itself (unreachable, stalled, locked, read-only, out of space), after
 * which the same write can succeed later; anything else (a constraint the write breaks) cannot.
 */
export function isDatabaseOutage(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof WriteTimeout) return true;
  const code = String((err as { code?: unknown }).code ?? '');
  if (SQLITE_OUTAGE.test(code) || NETWORK_OUTAGE.has(code)) return true;
  // PostgreSQL SQLSTATE: connection exception, insufficient resources, shutdown, statement timeout.
  if (/^(08|53|57P0)/.test(code) || code === '57014') return true;
  if (code) return false;
  return CLIENT_OUTAGE.test(err.message);
}

class WriteTimeout extends Error {
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
    this.name = 'WriteTimeout';
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WriteTimeout(ms)), ms);
  });
  // A write given up on may still finish (or fail) later; its outcome is the journal's to settle.
  work.catch(() => {});
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * `Math.round((end - column) / 1000)` in SQL, on both databases: seconds from a column's instant
 * (epoch ms) to `end`, rounded half up as JavaScript does for the non-negative spans of a call.
 */
function wholeSecondsSince(end: number | RawBuilder<number>, column: 'started_at' | 'answered_at') {
  return sql<number>`cast(floor((${end} - ${sql.ref(column)}) / 1000.0 + 0.5) as integer)`;
}

/**
 * The one writer of call records: `calls` (the CDR), `call_legs`, the transfer chain and the
 * recordings' rows. Rows are written when the call starts and updated as it progresses, so a crash
 * leaves an open row that start-up closes as `interrupted` instead of losing the call.
 *
 * The database may be unreachable, stalled or locked (docs/security.md, "Database outages"): a
 * write that fails so, or does not answer within `writeTimeoutMs`, goes to a journal file (fsync)
 * and every later write queues behind it, in order; the oldest is retried with backoff until the
 * database takes it. The call goes on meanwhile. Every write can be repeated safely (a row is
 * found again by its uuid, a close only counts once), so a write that reached the database while
 * its answer was lost is not written twice.
 */
/** A call's start, answer or end, as written to its record. */
export interface CallRecordChange {
  kind: 'started' | 'answered' | 'ended';
  /** The `calls` row id. */
  callId: number;
  /** An ended call's media figures per leg, as stored in `calls.quality`. */
  quality?: unknown;
}

export class CallRecords {
  private readonly journal: WriteJournal<RecordWrite>;
  private readonly logger: Logger | undefined;
  private readonly writeTimeoutMs: number;
  private readonly retry: { minMs: number; maxMs: number };
  /**
   * Real row ids of calls, legs and recordings started while the database was out; their calls
   * keep using the provisional ids after it is back (a few numbers per such call, kept until exit).
   */
  private readonly provisional = new Map<number, number>();
  private nextProvisional = -1;
  private draining: Promise<void> | null = null;
  private stopped = false;
  private retryTimer: { timer: NodeJS.Timeout; wake: () => void } | null = null;
  /** Writes journaled since start, and those given up on as impossible (logged). */
  journaledTotal = 0;
  droppedTotal = 0;
  /** Recordings that could not start or were cut short by the disk since start. */
  recordingFailures = 0;
  private readonly callListeners = new Set<(change: CallRecordChange) => void>();

  constructor(
    private readonly db: Db,
    private readonly nodeId: string,
    private readonly now: () => number = Date.now,
    options: CallRecordsOptions = {},
  ) {
    this.logger = options.logger;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 3000;
    this.retry = options.retry ?? { minMs: 250, maxMs: 5000 };
    this.journal = new WriteJournal<RecordWrite>(options.journalFile ?? null);
    for (const w of this.journal.entries) {
      for (const id of ['call' in w ? w.call : 0, 'leg' in w ? w.leg : 0, 'recording' in w ? w.recording : 0])
        if (id < 0) this.nextProvisional = Math.min(this.nextProvisional, id - 1);
    }
    if (this.journal.size > 0) this.startDraining();
  }

  /**
   * Hears a call's start, answer and end once each is in the database (outbound webhooks). A write
   * replayed from the journal may be heard twice; listeners name the change by call and kind.
   */
  onCallChange(listener: (change: CallRecordChange) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  private announce(change: CallRecordChange): void {
    for (const listener of this.callListeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger?.error({ err }, 'call record listener failed');
      }
    }
  }

  /** Writes waiting in the journal for the database. */
  get backlog(): number {
    return this.journal.size;
  }

  /** Resolves once the journal is empty (at once when it is). */
  async drained(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Stops retrying; what is still journaled is written by the next start. */
  stop(): void {
    this.stopped = true;
    this.retryTimer?.wake();
    this.journal.close();
  }

  async open(start: CallStart): Promise<{ id: number; uuid: string; startedAt: number }> {
    const uuid = randomUUID();
    const startedAt = this.now();
    start = {
      ...start,
      customerNumber: recordedText(start.customerNumber),
      callerNumber: recordedText(start.callerNumber),
      calledNumber: recordedText(start.calledNumber),
    };
    const id = await this.write({ op: 'open', call: 0, uuid, startedAt, start });
    return { id, uuid, startedAt };
  }

  async update(id: number, fields: CallUpdate): Promise<void> {
    const clean = { ...fields };
    if (clean.caller_number !== undefined) clean.caller_number = recordedText(clean.caller_number);
    if (clean.called_number !== undefined) clean.called_number = recordedText(clean.called_number);
    await this.write({ op: 'update', call: id, fields: clean });
  }

  /**
   * `customerOfNumber` for the call's agent as viewer, with the agent's role read in the same
   * statement (a subquery), so it can also stand inside the call's insert.
   */
  private customerQuery(digits: string, agentUserId: number | null) {
    return this.db
      .selectFrom('customers')
      .innerJoin('customer_phones', 'customer_phones.customer_id', 'customers.id')
      .select('customers.id')
      .where('customer_phones.digits', '=', digits)
      .where((eb) =>
        eb.or([
          eb('customers.owner_user_id', '=', agentUserId),
          eb.not(
            eb.exists(
              eb
                .selectFrom('users')
                .select('users.id')
                .where('users.id', '=', agentUserId)
                .where('users.role', '=', 'agent'),
            ),
          ),
        ]),
      )
      .orderBy(sql`case when customers.owner_user_id = ${agentUserId ?? -1} then 0 else 1 end`)
      .orderBy('customers.id')
      .limit(1);
  }

  private async customerFor(digits: string, agentUserId: number | null): Promise<number | null> {
    return (await this.customerQuery(digits, agentUserId).executeTakeFirst())?.id ?? null;
  }

  /**
   * A call that reaches its agent (a queue call answered) links to the customer that agent may see;
   * a link the agent may see already (a customer saved during the call) stays.
   */
  private async relinkForAgent(id: number): Promise<void> {
    const call = await this.db
      .selectFrom('calls')
      .leftJoin('customers', 'customers.id', 'calls.customer_id')
      .leftJoin('users', 'users.id', 'calls.agent_user_id')
      .select([
        'calls.customer_id',
        'calls.customer_digits',
        'calls.agent_user_id',
        'customers.owner_user_id',
        'users.role',
      ])
      .where('calls.id', '=', id)
      .executeTakeFirst();
    if (!call?.customer_digits) return;
    const visible =
      call.customer_id !== null && (call.role !== 'agent' || call.owner_user_id === call.agent_user_id);
    if (visible) return;
    const customerId = await this.customerFor(call.customer_digits, call.agent_user_id);
    if (customerId === call.customer_id) return;
    await this.db.updateTable('calls').set({ customer_id: customerId }).where('id', '=', id).execute();
  }

  /** The queue a call went to, unless it already has one (the queue it arrived in stays). */
  async queueIfUnset(id: number, queueId: number): Promise<void> {
    await this.write({ op: 'queueIfUnset', call: id, queueId });
  }

  /** The call is answered; `legs` (leg row ids) are answered at the same instant. */
  async answered(id: number, at = this.now(), legs: number[] = []): Promise<void> {
    await this.write({ op: 'answered', call: id, at, ...(legs.length > 0 ? { legs } : {}) });
  }

  /**
   * Appends a step to the call's transfer chain in one statement: two steps written at the same
   * instant (a transfer and a queue overflow) both land, whatever the database interleaves.
   */
  async addTransfer<S extends TransferStep>(id: number, step: S): Promise<void> {
    await this.write({ op: 'addTransfer', call: id, step });
  }

  /** Calls a new customer was saved from become theirs (inside the CRM's transaction `tx`). */
  static async linkCustomer(tx: Db, customerId: number, callIds: number[]): Promise<void> {
    if (callIds.length === 0) return;
    await tx
      .updateTable('calls')
      .set({ customer_id: customerId })
      .where('id', 'in', callIds)
      .where('customer_id', 'is', null)
      .execute();
  }

  /**
   * A customer saved while on a call with one of their numbers (typed rather than taken from the
   * call) gets that call too: the creator's calls still in progress with no customer yet.
   */
  static async linkOpenCalls(
    tx: Db,
    customerId: number,
    agentUserId: number,
    digits: string[],
  ): Promise<void> {
    if (digits.length === 0) return;
    await tx
      .updateTable('calls')
      .set({ customer_id: customerId })
      .where('status', '=', 'open')
      .where('agent_user_id', '=', agentUserId)
      .where('customer_digits', 'in', digits)
      .where('customer_id', 'is', null)
      .execute();
  }

  /** A deleted customer's calls stay, without the link (inside the CRM's transaction `tx`). */
  static async unlinkCustomer(tx: Db, customerId: number): Promise<void> {
    await tx.updateTable('calls').set({ customer_id: null }).where('customer_id', '=', customerId).execute();
  }

  /** A leg of the call (one dialog toward one party): its row id. */
  async openLeg(callId: number, leg: LegStart): Promise<number> {
    const start = { ...leg, peer: recordedText(leg.peer), startedAt: leg.startedAt ?? this.now() };
    return this.write({ op: 'openLeg', call: callId, leg: 0, start });
  }

  /** Answer/end times and outcome of a leg; an ended leg keeps its first outcome. */
  async updateLeg(legId: number, fields: LegFields): Promise<void> {
    await this.write({ op: 'updateLeg', leg: legId, fields });
  }

  /**
   * Closes the call; only the first close counts, so racing hang-ups cannot rewrite the outcome.
   * `legs` (leg row ids) end with it, with the call's outcome, unless they ended before.
   */
  async close(id: number, end: CallEnd, at = this.now(), legs: number[] = []): Promise<void> {
    await this.write({ op: 'close', call: id, end, at, ...(legs.length > 0 ? { legs } : {}) });
  }

  /** The row of a recording that has started (status `recording`), linked from the call: its id. */
  async openRecording(
    callId: number,
    recording: { agentUserId: number | null; path: string; startedAt?: number },
  ): Promise<number> {
    const id = await this.write({
      op: 'openRecording',
      call: callId,
      recording: 0,
      agentUserId: recording.agentUserId,
      path: recording.path,
      startedAt: recording.startedAt ?? this.now(),
    });
    await this.update(callId, { recording_id: id });
    return id;
  }

  /** A recording that ended: its length, size and whether its file holds all of it. */
  async completeRecording(recordingId: number, end: RecordingEnd): Promise<void> {
    await this.write({ op: 'completeRecording', recording: recordingId, end });
  }

  /**
   * Writes now when nothing is queued and the database answers in time; otherwise journals the
   * write behind the others. The result is the row id a write creates (provisional when journaled).
   */
  private async write(w: RecordWrite): Promise<number> {
    if (this.journal.size === 0 && !this.stopped) {
      try {
        return await withDeadline(this.apply(w, false), this.writeTimeoutMs);
      } catch (err) {
        if (!isDatabaseOutage(err)) throw err;
        this.logger?.warn({ err, op: w.op }, 'database unavailable: call records go to the journal');
      }
    }
    let created = 0;
    if (w.op === 'open' || w.op === 'openLeg' || w.op === 'openRecording') {
      created = this.nextProvisional--;
      if (w.op === 'open') w.call = created;
      else if (w.op === 'openLeg') w.leg = created;
      else w.recording = created;
    }
    this.journal.append(w);
    this.journaledTotal++;
    this.startDraining();
    return created;
  }

  private startDraining(): void {
    if (this.draining || this.stopped) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    let wait = this.retry.minMs;
    while (this.journal.size > 0 && !this.stopped) {
      const w = this.journal.entries[0]!;
      try {
        await withDeadline(this.apply(w, true), this.writeTimeoutMs);
      } catch (err) {
        if (isDatabaseOutage(err)) {
          await this.pause(wait);
          wait = Math.min(wait * 2, this.retry.maxMs);
          continue;
        }
        this.droppedTotal++;
        this.logger?.error({ err, write: w }, 'journaled call record write refused by the database: dropped');
      }
      if (this.stopped) return;
      this.journal.shift();
      wait = this.retry.minMs;
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.retryTimer = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.retryTimer = { timer, wake };
    });
  }

  /** The real id of a row (a provisional id once its creating write is in). */
  private real(id: number): number {
    if (id >= 0) return id;
    const real = this.provisional.get(id);
    if (real === undefined) throw new Error(`row ${id} was never written`);
    return real;
  }

  /**
   * Performs one write; repeating it changes nothing more. Returns the id of a created row.
   * `replay`: a journaled write, perhaps already in the database (its answer lost to a timeout).
   */
  private async apply(w: RecordWrite, replay: boolean): Promise<number> {
    switch (w.op) {
      case 'open': {
        const id = await this.insertCall(w.uuid, w.startedAt, w.start);
        if (w.call < 0) this.provisional.set(w.call, id);
        this.announce({ kind: 'started', callId: id });
        return id;
      }
      case 'update': {
        const fields = { ...w.fields };
        if (typeof fields.recording_id === 'number') fields.recording_id = this.real(fields.recording_id);
        const id = this.real(w.call);
        await this.db.updateTable('calls').set(fields).where('id', '=', id).execute();
        if (fields.agent_user_id !== undefined && fields.customer_id === undefined)
          await this.relinkForAgent(id);
        return id;
      }
      case 'queueIfUnset':
        await this.db
          .updateTable('calls')
          .set({ queue_id: w.queueId })
          .where('id', '=', this.real(w.call))
          .where('queue_id', 'is', null)
          .execute();
        return 0;
      case 'answered':
        await this.applyAnswered(this.real(w.call), w.at);
        await this.updateLegs(w.legs, { answered_at: w.at });
        this.announce({ kind: 'answered', callId: this.real(w.call) });
        return 0;
      case 'addTransfer':
        await this.applyTransfer(this.real(w.call), w.step, replay);
        return 0;
      case 'openLeg': {
        const id = await this.insertLeg(this.real(w.call), w.start);
        if (w.leg < 0) this.provisional.set(w.leg, id);
        return id;
      }
      case 'updateLeg':
        await this.updateLegs([w.leg], w.fields);
        return 0;
      case 'close':
        // Legs first: a crash between the two leaves an open call, which start-up closes.
        await this.updateLegs(w.legs, {
          ended_at: w.at,
          disposition: w.end.disposition,
          hangup_cause: w.end.hangupCause,
        });
        await this.applyClose(this.real(w.call), w.end, w.at);
        this.announce({ kind: 'ended', callId: this.real(w.call), quality: w.end.quality });
        return 0;
      case 'openRecording':
        return this.applyOpenRecording(w);
      case 'completeRecording':
        await this.db
          .updateTable('recordings')
          .set({
            duration_ms: Math.round(w.end.durationMs),
            size_bytes: w.end.sizeBytes,
            status: w.end.status,
          })
          .where('id', '=', this.real(w.recording))
          .where('status', '=', 'recording')
          .execute();
        return 0;
    }
  }

  /**
   * The call's row in one statement (its customer looked up inside it), found by its uuid when an
   * earlier attempt already wrote it.
   */
  private async insertCall(uuid: string, startedAt: number, start: CallStart): Promise<number> {
    const digits = start.customerNumber ? digitsOnly(start.customerNumber) : null;
    const customerId =
      start.customerId ?? (digits ? this.customerQuery(digits, start.agentUserId ?? null) : null);
    const row = await this.db
      .insertInto('calls')
      .onConflict((oc) => oc.column('call_uuid').doNothing())
      .values({
        call_uuid: uuid,
        type: start.type,
        queue_id: start.queueId ?? null,
        agent_user_id: start.agentUserId ?? null,
        customer_id: customerId,
        customer_number: start.customerNumber ?? null,
        customer_digits: digits,
        caller_number: start.callerNumber ?? null,
        called_number: start.calledNumber ?? null,
        started_at: startedAt,
        status: 'open',
        node_id: this.nodeId,
        source_ref: start.sourceRef ?? null,
        service: start.service ?? null,
      })
      .returning('id')
      .executeTakeFirst();
    // Nothing inserted: an earlier attempt given up on by its deadline has just written the row.
    return row?.id ?? (await this.idOf('calls', uuid));
  }

  private async idOf(table: 'calls' | 'call_legs', uuid: string): Promise<number> {
    const row =
      table === 'calls'
        ? await this.db
            .selectFrom('calls')
            .select('id')
            .where('call_uuid', '=', uuid)
            .executeTakeFirstOrThrow()
        : await this.db
            .selectFrom('call_legs')
            .select('id')
            .where('leg_uuid', '=', uuid)
            .executeTakeFirstOrThrow();
    return row.id;
  }

  /** The recording's row, found again by its call and file when an earlier attempt wrote it. */
  private async applyOpenRecording(w: Extract<RecordWrite, { op: 'openRecording' }>): Promise<number> {
    const callId = this.real(w.call);
    const found = await this.db
      .selectFrom('recordings')
      .select('id')
      .where('call_id', '=', callId)
      .where('path', '=', w.path)
      .executeTakeFirst();
    const id =
      found?.id ??
      (
        await this.db
          .insertInto('recordings')
          .values({
            call_id: callId,
            agent_user_id: w.agentUserId,
            path: w.path,
            started_at: w.startedAt,
            status: 'recording',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    if (w.recording < 0) this.provisional.set(w.recording, id);
    return id;
  }

  /**
   * Legs' answer or end in one statement; an ended leg keeps its first outcome. A leg whose row was
   * never written (its insert refused) is left out rather than failing the call's own write.
   */
  private async updateLegs(legs: number[] | undefined, fields: LegFields): Promise<void> {
    const ids = (legs ?? []).flatMap((leg) => {
      const id = leg >= 0 ? leg : this.provisional.get(leg);
      return id === undefined ? [] : [id];
    });
    if (ids.length === 0) return;
    let q = this.db.updateTable('call_legs').set(fields).where('id', 'in', ids);
    if (fields.ended_at !== undefined) q = q.where('ended_at', 'is', null);
    await q.execute();
  }

  /** The leg's row, found by its uuid when an earlier attempt already wrote it. */
  private async insertLeg(callId: number, leg: LegStart & { startedAt: number }): Promise<number> {
    const row = await this.db
      .insertInto('call_legs')
      .onConflict((oc) => oc.column('leg_uuid').doNothing())
      .values({
        call_id: callId,
        leg_uuid: leg.legUuid,
        role: leg.role,
        peer: leg.peer,
        started_at: leg.startedAt,
        answered_at: leg.answeredAt ?? null,
      })
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? (await this.idOf('call_legs', leg.legUuid));
  }

  private async applyAnswered(id: number, at: number): Promise<void> {
    await this.db
      .updateTable('calls')
      .set({ answered_at: at, ring_time_s: wholeSecondsSince(at, 'started_at') })
      .where('id', '=', id)
      .where('answered_at', 'is', null)
      .execute();
  }

  /**
   * A replayed step already in the chain (written before its answer was lost) is not added again.
   * Journaled writes are replayed one at a time, so reading the chain first is safe there.
   */
  private async applyTransfer(id: number, step: TransferStep, replay: boolean): Promise<void> {
    const json = JSON.stringify(step);
    if (replay) {
      const row = await this.db
        .selectFrom('calls')
        .select('transfer_chain')
        .where('id', '=', id)
        .executeTakeFirst();
      const chain = JSON.parse(row?.transfer_chain ?? '[]') as unknown[];
      if (chain.some((s) => JSON.stringify(s) === json)) return;
    }
    const chain = isPostgres(this.db)
      ? sql<string>`(coalesce(transfer_chain, '[]')::jsonb || jsonb_build_array(${json}::jsonb))::text`
      : sql<string>`json_insert(coalesce(transfer_chain, '[]'), '$[#]', json(${json}))`;
    await this.db.updateTable('calls').set({ transfer_chain: chain }).where('id', '=', id).execute();
  }

  /** The times are worked out from the row inside the update, so closing is one statement. */
  private async applyClose(id: number, end: CallEnd, at: number): Promise<void> {
    const ring = wholeSecondsSince(sql<number>`coalesce(answered_at, ${at})`, 'started_at');
    const talk = sql<number>`case when answered_at is null then 0 else ${wholeSecondsSince(at, 'answered_at')} end`;
    // A manual call that was unanswered or busy lasts its ringing time.
    const duration =
      end.disposition === 'answered'
        ? talk
        : end.disposition === 'unanswered' || end.disposition === 'busy'
          ? sql<number>`case when ${sql.ref('type')} = 'manual' then ${ring} else 0 end`
          : 0;
    await this.db
      .updateTable('calls')
      .set({
        ended_at: at,
        ring_time_s: ring,
        duration_s: duration,
        disposition: end.disposition,
        hangup_cause: end.hangupCause,
        hangup_side: end.hangupSide,
        quality: end.quality === undefined ? null : JSON.stringify(end.quality),
        status: 'closed',
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute();
  }

  /**
   * Start-up recovery: every call this node left open was cut off by a crash or kill. They end at
   * `lastAlive`, the node's last heartbeat (now when there is none), so the downtime is not talk
   * time; answered ones keep their talk time up to then, unanswered ones count as such.
   */
  async closeInterrupted(lastAlive: number | null = null): Promise<number> {
    const open = await this.db
      .selectFrom('calls')
      .select(['id', 'call_uuid', 'started_at', 'answered_at'])
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('node_id', '=', this.nodeId), eb('node_id', 'is', null)]))
      .execute();
    const now = this.now();
    // Calls whose own writes (their close among them) still wait in the journal are left to it.
    const journaled = new Set<number | string>();
    for (const w of this.journal.entries) {
      if (w.op === 'open') journaled.add(w.uuid);
      else if ('call' in w && w.call > 0) journaled.add(w.call);
    }
    const interrupted = open.filter((c) => !journaled.has(c.id) && !journaled.has(c.call_uuid));
    for (const call of interrupted) {
      // The node's last heartbeat is when the call really ended; never before the call began.
      const at =
        lastAlive === null
          ? now
          : Math.min(now, Math.max(lastAlive, Number(call.answered_at ?? call.started_at)));
      await this.close(
        call.id,
        {
          disposition: call.answered_at ? 'answered' : 'unanswered',
          hangupCause: 'interrupted',
          hangupSide: 'system',
        },
        at,
      );
      await this.db
        .updateTable('call_legs')
        .set({
          ended_at: at,
          hangup_cause: 'interrupted',
          disposition: sql<Disposition>`coalesce(disposition, case when answered_at is not null then 'answered' else 'unanswered' end)`,
        })
        .where('call_id', '=', call.id)
        .where('ended_at', 'is', null)
        .execute();
    }
    return interrupted.length;
  }
}
