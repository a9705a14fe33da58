// sipp carriers that call into a call flow: answered (then type RFC 4733 digits from sip-tester's
// captures and wait for the switch's BYE, or hang up themselves), or turned away as busy.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallFlows, FlowActivity } from '../src/flows/call-flows';
import type { Defer } from './defer';
import { freeMediaPorts, type SippProcess, startSipp } from './sip-agents';
import { type CallerOptions, callerScenarioXml } from './sipp/caller-scenario';
import type { TestSystem } from './test-system';

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
