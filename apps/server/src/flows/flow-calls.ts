import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import type { Logger } from '../observability/logger';
import type { CallScripts } from '../switch/scripts/call-scripts';
import type { CallFlows } from './call-flows';
import { FlowRunner } from './flow-runner';

/**
 * Inbound routes to a flow (`target_type` `flow`) run its published version on call scripts. The
 * version is read once when the call arrives: the call keeps it to the end.
 */
export function runCallFlows(scripts: CallScripts, flows: CallFlows, logger: Logger): () => void {
  return scripts.onInbound('flow', async (call, caller, target) => {
    const id = Number(target.id);
    const published = Number.isInteger(id) ? await flows.store.published(id) : null;
    if (!published) {
      caller.reject(480, 'Flow Not Published');
      return;
    }
    const runner = new FlowRunner(call, caller, {
      definition: published.definition,
      callerNumber: call.init.callerNumber ?? null,
      calledNumber: call.init.calledNumber ?? null,
      now: () => flows.now(),
      logger,
      onEnter: (componentId) =>
        flows.report({
          kind: 'enter',
          callId: call.uuid,
          flowId: id,
          version: published.version,
          componentId,
        }),
      onStep: (s) =>
        flows.report({ kind: 'step', callId: call.uuid, flowId: id, version: published.version, ...s }),
    });
    const end = await runner.run();
    flows.report({ kind: 'end', callId: call.uuid, flowId: id, version: published.version, end });
    logger.info({ call: call.uuid, flow: id, version: published.version, end }, 'call flow ended');
  });
}

/**
 * A test call into the draft: the user's own extension rings, and once answered it goes through the
 * draft as a caller would. Its steps are on the live stream (version null) for the editor to show.
 */
export async function placeTestCall(
  deps: { db: Db; scripts: CallScripts; flows: CallFlows; logger: Logger },
  flowId: number,
  userId: number,
): Promise<{ callId: string }> {
  const { flows } = deps;
  const flow = await flows.get(flowId);
  if (flow.problems.length > 0) throw flows.problemsError(flow.problems, 'tested');
  const extension = await deps.db
    .selectFrom('extensions')
    .select('number')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!extension) throw ApiError.conflict('You have no extension to take the test call on');
  const definition = flow.draft;
  const call = await deps.scripts.run(
    { type: 'auto', service: 'flow_test', watchers: [userId], calledNumber: extension.number },
    async (c) => {
      const leg = c.originate({
        to: extension.number,
        via: { extension: extension.number },
        role: 'customer',
        callerId: { number: extension.number, name: `Test: ${flow.name}` },
      });
      if ((await leg.outcome()) !== 'connected') {
        flows.report({
          kind: 'end',
          callId: c.uuid,
          flowId,
          version: null,
          end: { how: 'caller_left', componentId: definition.start ?? '' },
        });
        return;
      }
      const runner = new FlowRunner(c, leg, {
        definition,
        callerNumber: extension.number,
        calledNumber: null,
        callerVia: { extension: extension.number },
        now: () => flows.now(),
        logger: deps.logger,
        onEnter: (componentId) =>
          flows.report({ kind: 'enter', callId: c.uuid, flowId, version: null, componentId }),
        onStep: (s) => flows.report({ kind: 'step', callId: c.uuid, flowId, version: null, ...s }),
      });
      const end = await runner.run();
      flows.report({ kind: 'end', callId: c.uuid, flowId, version: null, end });
    },
  );
  return { callId: call.uuid };
}
