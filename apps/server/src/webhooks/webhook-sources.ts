import type { Logger } from 'pino';
import type { Db } from '../db/database';
import type { EventBus } from '../events/event-bus';
import type { CallRecordChange, CallRecords } from '../switch/call-records';
import type { WebhookDeliveries } from './webhook-deliveries';

/** A call's record as webhooks carry it (docs/integrations.md, "Webhooks"). */
export async function callPayload(db: Db, callId: number): Promise<object> {
  const r = await db
    .selectFrom('calls')
    .leftJoin('queues', 'queues.id', 'calls.queue_id')
    .leftJoin('users', 'users.id', 'calls.agent_user_id')
    .leftJoin('customers', 'customers.id', 'calls.customer_id')
    .select([
      'calls.id',
      'calls.call_uuid',
      'calls.type',
      'calls.service',
      'calls.started_at',
      'calls.answered_at',
      'calls.ended_at',
      'calls.duration_s',
      'calls.ring_time_s',
      'calls.disposition',
      'calls.hangup_cause',
      'calls.hangup_side',
      'calls.customer_number',
      'calls.caller_number',
      'calls.called_number',
      'calls.wrapup_code',
      'calls.wrapup_note',
      'calls.recording_id',
      'queues.name as queue_name',
      'users.id as agent_id',
      'users.username as agent_username',
      'users.display_name as agent_name',
      'customers.id as customer_id',
      'customers.name as customer_name',
    ])
    .where('calls.id', '=', callId)
    .executeTakeFirstOrThrow();
  return {
    call: {
      id: r.id,
      callId: r.call_uuid,
      type: r.type,
      service: r.service,
      startedAt: Number(r.started_at),
      answeredAt: r.answered_at === null ? null : Number(r.answered_at),
      endedAt: r.ended_at === null ? null : Number(r.ended_at),
      durationS: r.duration_s,
      ringTimeS: r.ring_time_s,
      disposition: r.disposition,
      hangupCause: r.hangup_cause,
      hangupSide: r.hangup_side,
      queue: r.queue_name,
      agent: r.agent_id === null ? null : { id: r.agent_id, username: r.agent_username, name: r.agent_name },
      customer: r.customer_id === null ? null : { id: r.customer_id, name: r.customer_name },
      customerNumber: r.customer_number,
      callerNumber: r.caller_number,
      calledNumber: r.called_number,
      wrapupCode: r.wrapup_code,
      wrapupNote: r.wrapup_note,
      recordingId: r.recording_id,
    },
  };
}

/**
 * Turns what happens in the switch into webhook events: call records (started, answered, ended with
 * the CDR) and the live events of agents, callback plans and web callbacks. A failure to queue one
 * is logged; it never reaches the call.
 */
export function feedWebhooks(deps: {
  deliveries: WebhookDeliveries;
  db: Db;
  events: EventBus;
  records: CallRecords;
  logger: Logger;
}): () => void {
  const { deliveries, db, logger } = deps;
  const queue = (work: Promise<void>) =>
    work.catch((err) => logger.error({ err }, 'a webhook event could not be queued'));
  const offCalls = deps.records.onCallChange((change: CallRecordChange) => {
    queue(
      (async () => {
        // The payload names the event (by the call's uuid), so it is read only when someone takes it.
        if (!(await deliveries.wanted(`call.${change.kind}`))) return;
        const payload = await callPayload(db, change.callId);
        const uuid = (payload as { call: { callId: string } }).call.callId;
        await deliveries.emit(`call.${change.kind}`, `call.${change.kind}:${uuid}`, () => payload);
      })(),
    );
  });
  const offEvents = deps.events.tap((e) => {
    if (e.type === 'agent_state')
      queue(
        deliveries.emit('agent.state_changed', `agent_state:${e.userId}:${e.at}:${e.status}`, () => ({
          agent: { id: e.userId },
          status: e.status,
          reason: e.reason,
          at: e.at,
        })),
      );
    else if (e.type === 'callback_plan' && e.status === 'due')
      queue(
        deliveries.emit('callback_plan.due', `callback_plan.due:${e.planId}:${e.at}`, async () => {
          const p = await db
            .selectFrom('callback_plans')
            .selectAll()
            .where('id', '=', e.planId)
            .executeTakeFirst();
          const plan = p && {
            id: p.id,
            customerId: p.customer_id,
            number: p.number,
            ownerUserId: p.owner_user_id,
            dueAt: Number(p.due_at),
            note: p.note,
            mode: p.mode,
            queueId: p.queue_id,
          };
          return { plan: plan ?? { id: e.planId }, at: e.at };
        }),
      );
    else if (e.type === 'web_callback')
      queue(
        deliveries.emit(
          'web_callback.updated',
          `web_callback:${e.webCallback.id}:${e.webCallback.version}`,
          () => ({ webCallback: e.webCallback }),
        ),
      );
  });
  return () => {
    offCalls();
    offEvents();
  };
}
