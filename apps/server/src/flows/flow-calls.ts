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
      onStep: (s) =>
        flows.report({ kind: 'step', callId: call.uuid, flowId: id, version: published.version, ...s }),
    });
    const end = await runner.run();
    flows.report({ kind: 'end', callId: call.uuid, flowId: id, version: published.version, end });
    logger.info({ call: call.uuid, flow: id, version: published.version, end }, 'call flow ended');
  });
}
