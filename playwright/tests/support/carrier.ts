import { freeMediaPorts, freePort, type SippProcess, startSipp } from '@switchboard/test-support';
import {
  type CarrierScenarioOptions,
  writeCarrierScenario,
} from '../../../apps/server/test/sipp/carrier-scenario';
import { sipPort } from '../../playwright.config';
import type { TestQueue } from './switch-setup';

export { freeMediaPorts, freePort, type SippProcess };

export interface CarrierRun {
  /** The DID the carrier calls. */
  did: string;
  /** The carrier's SIP port: the trunk the test added points here, so the switch takes its calls. */
  port: number;
  /** Calls placed, one every `everyMs` (default one call). */
  calls?: number;
  everyMs?: number;
  /** sipp echoes the RTP it gets (keeps the customer's leg alive, or loops the agent's voice back). */
  rtpEcho?: boolean;
  /** sipp's own time limit for the whole run (default 90 s). */
  timeoutMs?: number;
}

/** sipp as the customers' carrier, calling the switch under test with `scenario`. */
export async function startCarrier(run: CarrierRun, scenario: CarrierScenarioOptions): Promise<SippProcess> {
  const calls = run.calls ?? 1;
  return startSipp({
    scenario: writeCarrierScenario(scenario).file,
    transport: 'udp',
    remote: `127.0.0.1:${sipPort}`,
    port: run.port,
    timeoutMs: run.timeoutMs ?? 90_000,
    args: [
      '-s',
      run.did,
      '-mi',
      '127.0.0.1',
      '-mp',
      String(await freeMediaPorts()),
      ...(run.rtpEcho ? ['-rtp_echo'] : []),
      '-m',
      String(calls),
      ...(run.everyMs ? ['-r', '1', '-rp', String(run.everyMs)] : []),
      '-trace_err',
    ],
  });
}

/**
 * Callers into a test queue: `calls` calls, one every `everyMs`, caller `<callerPrefix><n>` (n = 1,
 * 2, …); each waits (on hold music once the queue answers) for `holdMs`, then hangs up.
 */
export function startCallers(
  queue: Pick<TestQueue, 'did' | 'carrierPort'>,
  options: { calls: number; everyMs: number; holdMs: number; callerPrefix: string },
): Promise<SippProcess> {
  return startCarrier(
    {
      did: queue.did,
      port: queue.carrierPort,
      calls: options.calls,
      everyMs: options.everyMs,
      // The hold music echoed back: a caller who sends no audio is hung up for media inactivity.
      rtpEcho: true,
      timeoutMs: options.holdMs + options.calls * options.everyMs + 30_000,
    },
    {
      caller: `${options.callerPrefix}[call_number]`,
      displayName: 'Caller [call_number]',
      hangUpAfterMs: options.holdMs,
    },
  );
}
