// sipp as the carrier, and the few SIP messages needed to set up one call by hand (the SIP package is
// developed separately; the media plane must not depend on it).
import dgram from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeMediaPorts, freePort, runSipp, type SippProcess } from '@switchboard/test-support';

const UAS_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas: echo RTP, answer telephone-event, play RFC 2833 pcaps">
  <recv request="INVITE" crlf="true"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
]]></send>
  <recv request="ACK" crlf="true"/>
  <pause milliseconds="PCAP_DELAY"/>
  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_7.pcap"/></action></nop>
  <pause milliseconds="400"/>
  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_pound.pcap"/></action></nop>
  <recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
</scenario>
`;

/**
 * sipp as a UAS on free ports: answers one INVITE with PCMU and telephone-event, echoes the RTP it
 * gets, and plays RFC 2833 digits 7 and # `pcapDelayMs` after the ACK.
 */
export async function startSippUas(pcapDelayMs: number): Promise<SippProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sipp-'));
  const file = path.join(dir, 'uas.xml');
  writeFileSync(file, UAS_SCENARIO.replace('PCAP_DELAY', String(pcapDelayMs)));
  const port = await freePort();
  const mediaPort = await freeMediaPorts();
  const args = ['-sf', file, '-i', '127.0.0.1', '-p', String(port), '-mi', '127.0.0.1'];
  args.push('-mp', String(mediaPort), '-rtp_echo', '-m', '1');
  return runSipp(args, { timeoutMs: 60_000, cwd: dir, port });
}

/** A minimal UAC: INVITE with our SDP, ACK the 200, BYE at the end. */
export class TinyUac {
  private readonly sock = dgram.createSocket('udp4');
  private toTag = '';
  private readonly callId = `${Math.random().toString(36).slice(2)}@127.0.0.1`;
  private readonly messages: string[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly target: number) {
    this.sock.on('message', (m) => {
      this.messages.push(m.toString());
      for (const w of this.waiters.splice(0)) w();
    });
  }

  async bind(): Promise<void> {
    await new Promise<void>((r) => this.sock.bind(0, '127.0.0.1', r));
  }

  private get port(): number {
    return this.sock.address().port;
  }

  private request(method: string, cseq: number, body = ''): string {
    const lines = [
      `${method} sip:service@127.0.0.1:${this.target} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${Math.random().toString(36).slice(2)}`,
      'From: <sip:media-test@127.0.0.1>;tag=uac1',
      `To: <sip:service@127.0.0.1>${this.toTag ? `;tag=${this.toTag}` : ''}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:media-test@127.0.0.1:${this.port}>`,
      'Max-Forwards: 70',
    ];
    if (body) lines.push('Content-Type: application/sdp');
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
    return lines.join('\r\n');
  }

  private send(msg: string): void {
    this.sock.send(msg, this.target, '127.0.0.1');
  }

  private async waitFor(
    pred: (m: string) => boolean,
    timeoutMs: number,
    resend?: () => void,
  ): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(pred);
      if (found) return found;
      if (performance.now() > deadline) throw new Error('SIP response timed out');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          resend?.(); // UDP retransmission (RFC 3261 timer A, simplified)
          resolve();
        }, 500);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Returns the SDP answer. */
  async invite(sdp: string): Promise<string> {
    const invite = this.request('INVITE', 1, sdp);
    this.send(invite);
    const ok = await this.waitFor(
      (m) => m.startsWith('SIP/2.0 200') && m.includes('INVITE'),
      10_000,
      () => this.send(invite),
    );
    this.toTag = /^To:.*;tag=([^;\s]+)/im.exec(ok)?.[1] ?? '';
    this.send(this.request('ACK', 1));
    return ok.slice(ok.indexOf('\r\n\r\n') + 4);
  }

  async bye(): Promise<void> {
    const bye = this.request('BYE', 2);
    this.send(bye);
    await this.waitFor(
      (m) => m.startsWith('SIP/2.0 200') && /CSeq:\s*2 BYE/i.test(m),
      5000,
      () => this.send(bye),
    );
  }

  close(): void {
    this.sock.close();
  }
}
