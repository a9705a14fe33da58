import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { startSipp } from '@switchboard/test-support';
import { phoneSdp, sippScenarioXml, uasReply } from '../../apps/server/test/sipp/uas-scenario';
import { sipPort } from '../playwright.config';
import { type SippProcess, startCarrier as startCarrierRun } from './support/carrier';

/** The carrier's caller ID by default, as the pages show it. */
export const carrierCaller = '+12025550177';

/**
 * sipp as the customer's carrier, calling `did` once from `port`; the customer talks (sipp's speech
 * sample, repeated) until the switch's BYE — each test ends the call from the desk, a dropped customer
 * shows as a failure. With `customerMedia` the SDP offer points at that port (a `MediaPeer`), so the
 * test hears the customer's side.
 */
export function startCarrier(
  did: string,
  port: number,
  options: { customerMedia?: number; caller?: string } = {},
): Promise<SippProcess> {
  return startCarrierRun(
    { did, port },
    {
      caller: options.caller ?? carrierCaller,
      displayName: 'Customer',
      media: options.customerMedia ? { port: options.customerMedia } : undefined,
      // With the customer's media elsewhere the customer stays silent: sipp's own RTP would make the
      // switch latch onto sipp's port (symmetric RTP) and the test would hear nothing.
      speech: options.customerMedia ? undefined : 'until-hangup',
    },
  );
}

/** Inbound audio of the page's peer connections: bytes received and the audio energy heard. */
export function audioStats(page: Page): Promise<{ bytes: number; energy: number; sentBytes: number }> {
  return page.evaluate(async () => {
    type Entry = {
      type: string;
      kind?: string;
      bytesReceived?: number;
      bytesSent?: number;
      totalAudioEnergy?: number;
    };
    type Pc = { connectionState: string; getStats(): Promise<{ forEach(cb: (s: Entry) => void): void }> };
    const pcs = (globalThis as unknown as { __pcs: Pc[] }).__pcs;
    let bytes = 0;
    let energy = 0;
    let sentBytes = 0;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          bytes += s.bytesReceived ?? 0;
          energy += s.totalAudioEnergy ?? 0;
        }
        if (s.type === 'outbound-rtp' && s.kind === 'audio') sentBytes += s.bytesSent ?? 0;
      });
    }
    return { bytes, energy, sentBytes };
  });
}

/** Resolves once the page's received audio bytes and energy both grew (audio is arriving now). */
export async function expectAudioArriving(page: Page, what: string): Promise<void> {
  const before = await audioStats(page);
  await expect
    .poll(
      async () => {
        const now = await audioStats(page);
        return now.bytes - before.bytes > 1600 && now.energy > before.energy;
      },
      { message: `${what}: audio keeps arriving`, timeout: 6000 },
    )
    .toBe(true);
}

/** The desk phone (sipp UAS): answers one INVITE with media at its own port, waits for the BYE. */
function deskPhoneScenario(): string {
  const xml = sippScenarioXml(
    'desk phone answers',
    `<recv request="INVITE" />${uasReply('180 Ringing')}${uasReply('200 OK', { sdp: phoneSdp() })}
  <recv request="ACK" />
  <recv request="BYE" />${uasReply('200 OK')}
  <pause milliseconds="300" />`,
  );
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-desk-')), 'desk.xml');
  writeFileSync(file, xml);
  return file;
}

/** A sipp desk phone listening on `port` that answers the next call (silent: it sends no audio). */
export function startDeskPhone(port: number, mediaPort: number): Promise<SippProcess> {
  return startSipp({
    scenario: deskPhoneScenario(),
    transport: 'udp',
    port,
    timeoutMs: 90_000,
    args: ['-mi', '127.0.0.1', '-mp', String(mediaPort), '-m', '1', '-trace_err'],
  });
}

/**
 * Binds extension 1004 (dave's desk phone, digest secret dave-secret) to `contactPort` for
 * `expires` seconds, 0 to remove the binding. A separate sipp run: one sipp cannot both REGISTER and
 * take the switch's INVITE (it matches messages by Call-ID).
 */
export async function registerDeskPhone(contactPort: number, expires: number): Promise<void> {
  const register = (cseq: number, auth: boolean) => `
  <send retrans="500"><![CDATA[
      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:1004@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:1004@[remote_ip]>
      Call-ID: [call_id]
      CSeq: ${cseq} REGISTER
      Contact: <sip:1004@127.0.0.1:${contactPort};transport=udp>${auth ? '\n      [authentication]' : ''}
      Max-Forwards: 70
      Expires: ${expires}
      Content-Length: 0
    ]]></send>`;
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="desk phone registers">${register(1, false)}
  <recv response="401" auth="true" />${register(2, true)}
  <recv response="200" />
</scenario>`;
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-register-')), 'register.xml');
  writeFileSync(file, xml);
  const sipp = await startSipp({
    scenario: file,
    transport: 'udp',
    remote: `127.0.0.1:${sipPort}`,
    timeoutMs: 10_000,
    args: ['-au', '1004', '-ap', 'dave-secret', '-m', '1'],
  });
  expect(await sipp.exited, sipp.output).toBe(0);
}

/**
 * The customer's ear: a UDP socket the carrier's SDP points at. Counts audio packets that are not
 * silence (hold music, someone talking) and RFC 4733 telephone events (the digits, once each).
 */
export class MediaPeer {
  private readonly socket = createSocket('udp4');
  loud = 0;
  readonly digits: string[] = [];
  private lastEvent: { ts: number } | null = null;

  static async start(): Promise<MediaPeer> {
    const p = new MediaPeer();
    await new Promise<void>((resolve) => p.socket.bind(0, '127.0.0.1', resolve));
    p.socket.on('message', (msg) => p.onPacket(msg));
    return p;
  }

  get port(): number {
    return this.socket.address().port;
  }

  private onPacket(msg: Buffer): void {
    if (msg.length < 12 || msg[0]! >> 6 !== 2) return;
    const pt = msg[1]! & 0x7f;
    if (pt === 101 && msg.length >= 16) {
      // One event is sent many times (same RTP timestamp): count it once.
      const ts = msg.readUInt32BE(4);
      if (this.lastEvent?.ts !== ts) this.digits.push('0123456789*#ABCD'[msg[12]!] ?? '?');
      this.lastEvent = { ts };
      return;
    }
    if (pt !== 0 && pt !== 8) return;
    const silence = pt === 0 ? 0xff : 0xd5;
    for (let i = 12; i < msg.length; i++)
      if (Math.abs(msg[i]! - silence) > 2 && Math.abs(msg[i]! - (silence ^ 0x80)) > 2) {
        this.loud++;
        return;
      }
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * An outside party behind the carrier (sipp UAS on `port`): answers one INVITE, talks for
 * `talkMs` (silent), then hangs up itself. The call fails unless the Request-URI's user is `number`.
 * Start it before creating its trunk: the trunk's first keep-alive OPTIONS is answered here.
 */
export function startOutsideParty(
  port: number,
  mediaPort: number,
  number: string,
  talkMs: number,
): Promise<SippProcess> {
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="outside party answers and hangs up">
  <recv request="OPTIONS" optional="true" next="keepalive" />
  <recv request="INVITE" rrs="true">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="caller" />
      <ereg regexp="^INVITE sip:${number.replace('+', '\\+')}@" search_in="msg" check_it="true" assign_to="ruri" />
    </action>
  </recv>
  <!-- sipp wants every variable used: written only with -trace_logs -->
  <nop><action><log message="Request-URI [$ruri]" /></action></nop>
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:outside@[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

v=0
o=outside 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 8 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=sendrecv
]]></send>
  <recv request="ACK" />
  <pause milliseconds="${talkMs}" />
  <send retrans="500"><![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:outside@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
      To:[$caller]
      Call-ID: [call_id]
      CSeq: 1 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <recv response="200" next="done" />
  <label id="keepalive" />
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag02[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]></send>
  <label id="done" />
</scenario>`;
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-outside-')), 'outside.xml');
  writeFileSync(file, xml);
  // Two calls: the trunk's keep-alive OPTIONS (a call of its own to sipp), then the INVITE.
  // sipp's -trace_logs log goes to the run's own temporary folder (startSipp), not the checkout.
  return startSipp({
    scenario: file,
    transport: 'udp',
    port,
    timeoutMs: 60_000,
    args: ['-mi', '127.0.0.1', '-mp', String(mediaPort), '-m', '2', '-trace_err', '-trace_logs'],
  });
}
