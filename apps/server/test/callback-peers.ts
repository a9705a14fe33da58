// Peers for the callback-service tests: a sipp carrier that calls an access number from a given
// caller ID and expects the trigger's final response.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Defer } from './defer';
import { dtmfPcap } from './script-peers';
import { freeMediaPorts, type SippProcess, startSipp } from './sip-agents';
import { carrierInvite } from './sipp/carrier-invite';
import type { TestSystem } from './test-system';

/** A carrier call into `did` from `from` (a number, or `anonymous`) that expects `expect` (486 for ring-then-busy). */
export async function triggerCall(
  defer: Defer,
  sys: TestSystem,
  did: string,
  from: string,
  expect = 486,
): Promise<SippProcess> {
  const fromHeader =
    from === 'anonymous'
      ? 'From: "Anonymous" <sip:anonymous@anonymous.invalid>;tag=[pid]SIPpTag09[call_number]'
      : `From: <sip:${from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]`;
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="trigger ${did}">
  ${carrierInvite(fromHeader)}
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="${expect}" />
  <send><![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-5]
      ${fromHeader}
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <pause milliseconds="100" />
</scenario>`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-trigger-'));
  const file = path.join(dir, 'trigger.xml');
  writeFileSync(file, xml);
  const mp = await freeMediaPorts();
  const sipp = await startSipp({
    scenario: file,
    transport: 'udp',
    remote: `127.0.0.1:${sys.sipPort}`,
    timeoutMs: 20_000,
    args: ['-s', did, '-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-trace_err'],
  });
  defer(() => {
    sipp.kill();
    return sipp.exited;
  });
  return sipp;
}

/** The demo subscriber's id (account 18005550100, PIN 1234, authorized +14155550132). */
export async function demoSubscriberId(sys: TestSystem): Promise<number> {
  const row = await sys.db
    .selectFrom('subscribers')
    .select('id')
    .where('phone_number', '=', '18005550100')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * sipp actions that type `digits` from sip-tester's RFC 4733 captures, `gapMs` apart. Each capture
 * plays on a thread of its own: with a short gap, a capture started late under load can arrive
 * after the next one, so long entries (a destination number) get a wide gap.
 */
export function typeDigitsSlowly(digits: string, afterMs: number, gapMs = 800): string {
  if (/(.)\1/.test(digits)) throw new Error(`cannot type the same key twice in a row from pcaps: ${digits}`);
  const steps = [...digits].map(
    (d) => `<nop><action><exec play_pcap_audio="${dtmfPcap(d)}" /></action></nop>`,
  );
  return `<pause milliseconds="${afterMs}" />\n  ${steps.join(`\n  <pause milliseconds="${gapMs}" />\n  `)}`;
}
