import type { FlowDefinition } from '@switchboard/shared';
import type { CallbackServices } from '../callback-services/callback-service';
import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import type { Logger } from '../observability/logger';
import type { CallScripts } from '../switch/scripts/call-scripts';
import type { ScriptCall } from '../switch/scripts/script-call';
import type { ScriptLeg } from '../switch/scripts/script-leg';
import type { CallFlows } from './call-flows';
import { type FlowEnd, type FlowResume, FlowRunner } from './flow-runner';

export interface FlowCallDeps {
  scripts: CallScripts;
  flows: CallFlows;
  logger: Logger;
  /** The call-back engine the Callback and Callback service components use. */
  callbacks?: CallbackServices;
}

/** One run of a flow version on a call: the published version's number, or null for a test call. */
interface FlowRun {
  flowId: number;
  version: number | null;
  definition: FlowDefinition;
  callerNumber: string | null;
  calledNumber: string | null;
  /** A test call's caller is an extension: a Callback to the caller rings it again. */
  callerVia?: { extension: string };
}

/**
 * Runs `run` on `leg` of `call`, reporting each step. A Callback component hands the rest of the
 * flow to the call-back engine: the call back is its own call (CDR service `callback`), on which
 * the flow goes on at the component after the Callback, with the same variables and version.
 */
async function runFlow(
  deps: FlowCallDeps,
  call: ScriptCall,
  leg: ScriptLeg,
  run: FlowRun,
  resume?: FlowResume,
): Promise<FlowEnd> {
  const { flows, callbacks } = deps;
  const base = { callId: call.uuid, flowId: run.flowId, version: run.version };
  const runner = new FlowRunner(call, leg, {
    definition: run.definition,
    callerNumber: run.callerNumber,
    calledNumber: run.calledNumber,
    ...(run.callerVia ? { callerVia: run.callerVia } : {}),
    now: () => flows.now(),
    logger: deps.logger,
    sounds: await flows.soundFiles(run.definition),
    ...(resume ? { resume } : {}),
    onEnter: (componentId) => flows.report({ kind: 'enter', ...base, componentId }),
    onStep: (s) => flows.report({ kind: 'step', ...base, ...s }),
    ...(callbacks
      ? {
          callBack: (r) =>
            callbacks.callBackForFlow({
              flowId: run.flowId,
              callerNumber: run.callerNumber,
              to: r.to,
              via: r.via,
              callerId: r.callerId,
              delayS: r.settings.delayS,
              ringTimeoutS: r.settings.ringTimeoutS,
              answered: async (back, backLeg) => {
                await runFlow(deps, back, backLeg, run, r.resume);
              },
            }),
          handOver: (serviceId, current) => callbacks.handOver(call, current as ScriptLeg, serviceId),
        }
      : {}),
  });
  const end = await runner.run();
  flows.report({ kind: 'end', ...base, end });
  deps.logger.info({ call: call.uuid, flow: run.flowId, version: run.version, end }, 'call flow ended');
  return end;
}

/**
 * Inbound routes to a flow (`target_type` `flow`) run its published version on call scripts. The
 * version is read once when the call arrives: the call keeps it to the end.
 */
export function runCallFlows(deps: FlowCallDeps): () => void {
  return deps.scripts.onInbound('flow', async (call, caller, target) => {
    const id = Number(target.id);
    const published = Number.isInteger(id) ? await deps.flows.store.published(id) : null;
    if (!published) {
      caller.reject(480, 'Flow Not Published');
      return;
    }
    await runFlow(deps, call, caller, {
      flowId: id,
      version: published.version,
      definition: published.definition,
      callerNumber: call.init.callerNumber ?? null,
      calledNumber: call.init.calledNumber ?? null,
    });
  });
}

/**
 * A test call into the draft: the user's own extension rings, and once answered it goes through the
 * draft as a caller would. Its steps are on the live stream (version null) for the editor to show.
 */
export async function placeTestCall(
  deps: FlowCallDeps & { db: Db },
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
      await runFlow(deps, c, leg, {
        flowId,
        version: null,
        definition,
        callerNumber: extension.number,
        calledNumber: null,
        callerVia: { extension: extension.number },
      });
    },
  );
  return { callId: call.uuid };
}
