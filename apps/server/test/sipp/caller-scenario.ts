// sipp callers into the switch for call-flow tests (and the Playwright flow test): answered, then
// typing RFC 4733 digits from sip-tester's captures, or turned away as busy. Free of package imports
// (node built-ins only) so the server tests and Playwright can both load it.
import { carrierInvite } from './carrier-invite';

const PCAP_DIR = '/usr/share/sip-tester';

/** sip-tester's RFC 4733 capture for one key. */
export function dtmfPcap(digit: string): string {
  const name = digit === '#' ? 'pound' : digit === '*' ? 'star' : digit;
  return `${PCAP_DIR}/dtmf_2833_${name}.pcap`;
}

/** sipp actions that type `digits` (one capture each, 400 ms apart) after `afterMs`. */
export function typeDigits(digits: string, afterMs: number): string {
  // Each capture carries one event with fixed RTP timestamps: the same key twice in a row would be
  // one event to the receiver (RFC 4733 §2.5.1.2), so repeated keys need a real RTP sender.
  if (/(.)\1/.test(digits)) throw new Error(`cannot type the same key twice in a row from pcaps: ${digits}`);
  const steps = [...digits].map(
    (d) => `<nop><action><exec play_pcap_audio="${dtmfPcap(d)}" /></action></nop>`,
  );
  // No pause after the last key: the peer may hang up as soon as it has it.
  return `<pause milliseconds="${afterMs}" />\n  ${steps.join('\n  <pause milliseconds="400" />\n  ')}`;
}

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

export function callerScenarioXml(o: CallerOptions): string {
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
