import {
  type CallDetail,
  type CallOutcome,
  legQualitySchema,
  mosEstimate,
  type Role,
  roleAtLeast,
} from '@switchboard/shared';
import type { Db } from '../db/database';

type Masker = (n: string | null) => string | null;

function outcomeOf(r: {
  disposition: string | null;
  type: string;
  hangup_side: string | null;
}): CallOutcome | null {
  switch (r.disposition) {
    case 'answered':
      return 'answered';
    case 'busy':
      return 'busy';
    case 'failed':
      return 'failed';
    case 'unanswered':
      return r.type === 'inbound' && r.hangup_side === 'customer' ? 'abandoned' : 'no_answer';
    default:
      return null;
  }
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The transfer steps kept with the call; entries that are not well-formed steps are left out. */
function transferSteps(stored: unknown): CallDetail['steps'] {
  const chain = parseJson(stored);
  return Array.isArray(chain)
    ? chain.filter(
        (s): s is { at: number; kind: string } =>
          !!s && typeof s === 'object' && typeof s.at === 'number' && typeof s.kind === 'string',
      )
    : [];
}

/** The per-leg quality figures kept when the call ended, each with its MOS estimate. */
function legQualities(stored: unknown): CallDetail['quality'] {
  const figures = parseJson(stored);
  const quality: CallDetail['quality'] = [];
  if (figures && typeof figures === 'object')
    for (const [leg, value] of Object.entries(figures)) {
      const parsed = legQualitySchema.safeParse(value);
      if (parsed.success) {
        const q = parsed.data;
        const mos = mosEstimate({ lossRate: q.lossRate, jitterMs: q.jitterMs, rttMs: q.rttMs });
        quality.push({ leg, quality: q, mos: Math.round(mos * 100) / 100 });
      }
    }
  return quality;
}

/**
 * One call as the call detail shows it: the CDR row, its legs, its transfer steps, the recording and
 * the quality figures kept when it ended. Null when there is no such call or the viewer may not see
 * it (agents: their own calls only, like the CDR search).
 */
export async function callDetail(
  db: Db,
  id: number,
  viewer: { userId: number; role: Role },
  mask: Masker,
): Promise<CallDetail | null> {
  const row = await db
    .selectFrom('calls')
    .leftJoin('customers', 'customers.id', 'calls.customer_id')
    .leftJoin('queues', 'queues.id', 'calls.queue_id')
    .leftJoin('users', 'users.id', 'calls.agent_user_id')
    .leftJoin('recordings', 'recordings.id', 'calls.recording_id')
    .selectAll('calls')
    .select([
      'customers.name as customer_name',
      'queues.name as queue_name',
      'users.display_name as agent_name',
      'recordings.duration_ms as recording_duration_ms',
      'recordings.status as recording_status',
    ])
    .where('calls.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  if (!roleAtLeast(viewer.role, 'supervisor') && row.agent_user_id !== viewer.userId) return null;
  const legs = await db
    .selectFrom('call_legs')
    .selectAll()
    .where('call_id', '=', id)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  const startedAt = Number(row.started_at);
  const answeredAt = num(row.answered_at);
  return {
    id: row.id,
    callUuid: row.call_uuid,
    type: row.type,
    service: row.service,
    queueName: row.queue_name,
    agentName: row.agent_name,
    customerName: row.customer_name,
    customerNumber: mask(row.customer_number),
    callerNumber: mask(row.caller_number),
    calledNumber: mask(row.called_number),
    startedAt,
    answeredAt,
    endedAt: num(row.ended_at),
    waitSeconds: answeredAt === null ? null : Math.round((answeredAt - startedAt) / 100) / 10,
    ringSeconds: Number(row.ring_time_s),
    talkSeconds: Number(row.duration_s),
    disposition: row.disposition,
    outcome: outcomeOf(row),
    hangupCause: row.hangup_cause,
    hangupSide: row.hangup_side,
    wrapupCode: row.wrapup_code,
    wrapupNote: row.wrapup_note,
    legs: legs.map((l) => ({
      id: l.id,
      role: l.role,
      peer: mask(l.peer),
      startedAt: Number(l.started_at),
      answeredAt: num(l.answered_at),
      endedAt: num(l.ended_at),
      disposition: l.disposition,
      hangupCause: l.hangup_cause,
    })),
    steps: transferSteps(row.transfer_chain),
    recording:
      row.recording_id === null || row.recording_status === null
        ? null
        : {
            id: row.recording_id,
            durationMs: Number(row.recording_duration_ms ?? 0),
            status: String(row.recording_status),
          },
    quality: legQualities(row.quality),
    numbersMasked: mask('1') !== '1',
  };
}
