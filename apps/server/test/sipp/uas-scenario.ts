// The pieces of the sipp UAS scenarios that play a desk phone or an agent's phone in the switch
// tests, the Playwright tests and the benches: the response to the last request and the phone's SDP
// answer. Free of package imports (node built-ins only), like carrier-scenario.ts, so each of those
// can load it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface UasReplyOptions {
  /** The Contact's user part (sipp keywords allowed, e.g. `[$ext]`); `1004` by default. */
  contactUser?: string;
  /** Header lines to add, each starting with a newline and the scenario's indentation. */
  extraHeaders?: string;
  /** SDP body (then sent with its Content-Type). */
  sdp?: string;
  /** CSeq line other than the request's (a 487 sent after a CANCEL answers the INVITE). */
  cseq?: string;
}

/** A sipp `<send>` of `status` (e.g. `180 Ringing`) answering the last request received. */
export function uasReply(status: string, options: UasReplyOptions = {}): string {
  const user = options.contactUser ?? '1004';
  const body = options.sdp ?? '';
  const contentType = body ? '\n      Content-Type: application/sdp' : '';
  return `
  <send><![CDATA[
      SIP/2.0 ${status}
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      ${options.cseq ?? '[last_CSeq:]'}
      Contact: <sip:${user}@[local_ip]:[local_port];transport=[transport]>${options.extraHeaders ?? ''}${contentType}
      Content-Length: [len]

${body}]]></send>`;
}

export interface PhoneSdpOptions {
  /** Where the phone takes its media: sipp's own `-mi`/`-mp` by default. */
  address?: string;
  port?: number;
  direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

/** A desk phone's SDP answer: PCMU and RFC 4733 events. */
export function phoneSdp(options: PhoneSdpOptions = {}): string {
  const address = options.address ?? '[media_ip]';
  return [
    'v=0',
    `o=phone 1 1 IN IP4 ${address}`,
    's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${options.port ?? '[media_port]'} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    `a=${options.direction ?? 'sendrecv'}`,
    '',
  ].join('\n');
}

/** A whole sipp scenario document around `body`. */
export function sippScenarioXml(name: string, body: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="${name}">
  ${body.trim()}
</scenario>`;
}

/**
 * A customer who answers, listens for `afterMs`, then hangs up (BYE from the carrier side). With
 * `busy` (a POSIX regex on the INVITE line, e.g. `sip:\+?1202`), the numbers it matches are busy.
 */
export function customerHangsUp(afterMs: number, busy?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-callback-'));
  const file = path.join(dir, 'customer.xml');
  writeFileSync(
    file,
    sippScenarioXml(
      'customer answers and hangs up',
      `<recv request="INVITE">
    <action>${busy ? `\n      <ereg regexp="^INVITE ${busy}" search_in="msg" check_it="false" assign_to="refused" />` : ''}
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="theirs" />
      <ereg regexp="sip:[^>]*" search_in="hdr" header="Contact:" assign_to="contact" />
    </action>
  </recv>${busy ? '\n  <nop test="refused" next="refuse" />' : ''}${uasReply('180 Ringing', { contactUser: 'carrier' })}
  <pause milliseconds="100" />${uasReply('200 OK', { contactUser: 'carrier', sdp: phoneSdp() })}
  <recv request="ACK" />
  <pause milliseconds="${afterMs}" />
  <send retrans="500"><![CDATA[
      BYE [$contact] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:carrier@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
      To:[$theirs]
      [last_Call-ID:]
      CSeq: 1 BYE
      Contact: <sip:carrier@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <recv response="200" />${
    busy
      ? `
  <nop next="done" />
  <label id="refuse" />${uasReply('486 Busy Here', { contactUser: 'carrier' })}
  <recv request="ACK" />
  <label id="done" />`
      : ''
  }
  <pause milliseconds="200" />`,
    ),
  );
  return file;
}
