// Peers for the callback-service tests: a sipp carrier that calls an access number from a given
// caller ID and expects the trigger's final response.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
 * sipp actions that type `digits` (RFC 4733 events) `everyMs` apart, `afterMs` after the answer.
 * The events are written into one capture, built from sip-tester's one-key captures with a
 * timestamp of its own per key and running sequence numbers: sipp plays one capture on one thread,
 * so keys never overtake each other, and the same key twice in a row is two events
 * (RFC 4733 §2.5.1.2 tells events apart by their RTP timestamp).
 */
export function typeDigitsInOneCapture(digits: string, afterMs: number, everyMs = 250): string {
  const records: Buffer[] = [];
  let seq = 1000;
  [...digits].forEach((key, i) => {
    const capture = readFileSync(dtmfPcap(key));
    let first: number | null = null;
    for (let off = 24; off + 16 <= capture.length; ) {
      const sec = capture.readUInt32LE(off);
      const usec = capture.readUInt32LE(off + 4);
      const length = capture.readUInt32LE(off + 8);
      const at = sec * 1e6 + usec;
      first ??= at;
      const packet = Buffer.from(capture.subarray(off + 16, off + 16 + length));
      // Ethernet (14) + IPv4 (20) + UDP (8), then the RTP header.
      packet.writeUInt16BE(0, 14 + 20 + 6); // no UDP checksum: the payload changes below
      const rtp = 14 + 20 + 8;
      packet.writeUInt16BE(seq++ & 0xffff, rtp + 2);
      packet.writeUInt32BE(8000 + i * 8000, rtp + 4);
      const when = i * everyMs * 1000 + (at - first);
      const header = Buffer.alloc(16);
      header.writeUInt32LE(Math.floor(when / 1e6), 0);
      header.writeUInt32LE(when % 1e6, 4);
      header.writeUInt32LE(length, 8);
      header.writeUInt32LE(capture.readUInt32LE(off + 12), 12);
      records.push(header, packet);
      off += 16 + length;
    }
  });
  const globalHeader = readFileSync(dtmfPcap('1')).subarray(0, 24);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-dtmf-'));
  const file = path.join(dir, 'keys.pcap');
  writeFileSync(file, Buffer.concat([globalHeader, ...records]));
  return `<pause milliseconds="${afterMs}" />
  <nop><action><exec play_pcap_audio="${file}" /></action></nop>`;
}
