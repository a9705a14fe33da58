// sipp carriers that call into a call flow: answered (then type RFC 4733 digits from sip-tester's
// captures and wait for the switch's BYE, or hang up themselves), or turned away as busy.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallFlows, FlowActivity } from '../src/flows/call-flows';
import type { Defer } from './defer';
import { freeMediaPorts, type SippProcess, startSipp } from './sip-agents';
import { carrierInvite } from './sipp/carrier-invite';
import type { TestSystem } from './test-system';

export interface CallerOptions {
  /** The caller's number (From user part). */
  caller: string;
  /** sipp steps once answered (e.g. `typeDigits('2', 500)`). */
  afterAnswer?: string;
  /** The caller hangs up after this long in the call; otherwise it waits for the switch's BYE. */
  hangUpAfterMs?: number;
  /** The switch turns the call away with 486 (a Callback component releasing an unanswered caller). */
  expectBusy?: boolean;
}

function callerScenarioXml(o: CallerOptions): string {
  const from = `From: <sip:${o.caller}@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]`;
  const inDialog = (method: 'ACK' | 'BYE', cseq: number) => `
  <send${method === 'BYE' ? ' retrans="500"' : ''}><![CDATA[
      ${method} [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      ${from}
      [last_To:]
      Call-ID: [call_id]
      CSeq: ${cseq} ${method}
      Contact: <sip:carrier@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>`;
  let body: string;
  if (o.expectBusy)
    // The ACK of a non-2xx final answer belongs to the INVITE transaction: its branch (RFC 3261 §17.1.1.3).
    body = `
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="183" optional="true" />
  <recv response="486" />
  <send><![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-5]
      ${from}
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <pause milliseconds="200" />`;
  else {
    const end =
      o.hangUpAfterMs !== undefined
        ? `<pause milliseconds="${o.hangUpAfterMs}" />${inDialog('BYE', 2)}
  <recv response="200" />`
        : `<recv request="BYE" />
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]></send>`;
    body = `
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="183" optional="true" />
  <recv response="200" rrs="true" />${inDialog('ACK', 1)}
  ${o.afterAnswer ?? ''}
  ${end}`;
  }
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="caller into a flow">
  ${carrierInvite(from)}${body}
</scenario>
`;
}

/** A sipp caller ringing `did` on the switch; killed when the test ends. */
export async function callFlowNumber(
  defer: Defer,
  sys: TestSystem,
  did: string,
  options: CallerOptions,
): Promise<SippProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-flow-caller-'));
  const file = path.join(dir, 'caller.xml');
  writeFileSync(file, callerScenarioXml(options));
  const sipp = await startSipp({
    scenario: file,
    transport: 'udp',
    remote: `127.0.0.1:${sys.sipPort}`,
    timeoutMs: 40_000,
    args: ['-s', did, '-m', '1', '-mi', '127.0.0.1', '-mp', String(await freeMediaPorts()), '-trace_err'],
  });
  defer(() => {
    sipp.kill();
    return sipp.exited;
  });
  return sipp;
}

/** Records every call's path through flows: `pathOf(callId)` lists `component:exit` steps. */
export function recordFlowPaths(defer: Defer, flows: CallFlows) {
  const all: FlowActivity[] = [];
  const waiters = new Set<() => void>();
  defer(
    flows.watch((a) => {
      all.push(a);
      for (const w of waiters) w();
    }),
  );
  const ends = () => all.filter((a): a is Extract<FlowActivity, { kind: 'end' }> => a.kind === 'end');
  /** Resolves with the first activity matching `test` (already seen or to come). */
  const until = (test: (a: FlowActivity) => boolean, timeoutMs = 20_000): Promise<FlowActivity> => {
    const found = all.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = all.find(test);
        if (!hit) return;
        clearTimeout(t);
        waiters.delete(check);
        resolve(hit);
      };
      const t = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no such flow activity in time; seen: ${JSON.stringify(all)}`));
      }, timeoutMs);
      waiters.add(check);
    });
  };
  return {
    all,
    until,
    pathOf(callId: string): string[] {
      return all.flatMap((a) =>
        a.kind === 'step' && a.callId === callId ? [`${a.componentId}${a.exit ? `:${a.exit}` : ''}`] : [],
      );
    },
    /** The `n`-th call (0-based) to end in a flow. */
    async ended(n: number, timeoutMs = 20_000) {
      await until(() => ends().length > n, timeoutMs);
      return ends()[n]!;
    },
  };
}
