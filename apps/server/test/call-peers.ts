import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PortPool, RtpLeg } from '@switchboard/media';
import { type IncomingRequest, type SessionDialog, SipStack } from '@switchboard/sip';
import type { Defer } from './defer';
import { freeMediaPorts, type SippProcess, startSipp } from './sip-agents';
import { carrierInvite, carrierOffer } from './sipp/carrier-invite';
import { phoneSdp, sippScenarioXml, uasReply } from './sipp/uas-scenario';
import type { TestSystem } from './test-system';

/**
 * The extension's media in call tests: sipp does the desk phone's signalling, and its SDP points
 * here, so the test can count the RTP that reaches the extension (audio, RFC 4733 events) and echo
 * it back (the switch then sees the agent talk).
 */
export class MediaPeer {
  readonly socket: Socket = createSocket('udp4');
  audio = 0;
  /** Non-silent audio packets (payload bytes not all the G.711 silence value). */
  loud = 0;
  readonly events: number[] = [];
  echo = true;
  private readonly waiters: Array<() => void> = [];

  static async start(): Promise<MediaPeer> {
    const p = new MediaPeer();
    await new Promise<void>((r) => p.socket.bind(0, '127.0.0.1', r));
    p.socket.on('message', (msg, rinfo) => p.onPacket(msg, rinfo.address, rinfo.port));
    return p;
  }

  get port(): number {
    return this.socket.address().port;
  }

  private onPacket(msg: Buffer, address: string, port: number): void {
    if (msg.length < 12 || msg[0]! >> 6 !== 2) return;
    const pt = msg[1]! & 0x7f;
    if (pt === 101) {
      const ev = msg[12]!;
      if (this.events.at(-1) !== ev || (msg[1]! & 0x80) !== 0) this.events.push(ev);
    } else if (pt === 0 || pt === 8) {
      this.audio++;
      const silence = pt === 0 ? 0xff : 0xd5;
      let loud = false;
      for (let i = 12; i < msg.length; i++)
        if (Math.abs(msg[i]! - silence) > 2 && Math.abs(msg[i]! - (silence ^ 0x80)) > 2) {
          loud = true;
          break;
        }
      if (loud) this.loud++;
    }
    if (this.echo) this.socket.send(msg, port, address);
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `test()` holds (checked on every packet), or rejects after `timeoutMs`. */
  until(test: () => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('media peer: condition not met in time')), timeoutMs);
      const check = () => {
        if (test()) {
          clearTimeout(t);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  close(): void {
    this.socket.close();
  }
}

export type DeskMode = 'answer' | 'busy' | 'reject' | 'ring';

/**
 * A sipp desk phone (UAS) scenario handling one INVITE: answers (media to `mediaPort`) and waits
 * for BYE, answers 486 or 603, or rings until CANCEL.
 */
export function deskPhoneScenario(mode: DeskMode, mediaPort: number): string {
  let call = '<recv request="INVITE" />';
  const sdp = phoneSdp({ address: '127.0.0.1', port: mediaPort });
  if (mode === 'answer')
    call += `${uasReply('180 Ringing')}<pause milliseconds="200" />${uasReply('200 OK', { sdp })}
  <recv request="ACK" />
  <recv request="BYE" />${uasReply('200 OK')}`;
  else if (mode === 'busy') call += `${uasReply('486 Busy Here')}<recv request="ACK" />`;
  else if (mode === 'reject') call += `${uasReply('603 Decline')}<recv request="ACK" />`;
  else
    call += `${uasReply('180 Ringing')}
  <recv request="CANCEL" />${uasReply('200 OK')}${uasReply('487 Request Terminated', { cseq: 'CSeq: 1 INVITE' })}
  <recv request="ACK" />`;
  const xml = sippScenarioXml(
    `desk phone ${mode}`,
    `${call}
  <pause milliseconds="300" />`,
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-desk-'));
  const file = path.join(dir, `desk-${mode}.xml`);
  writeFileSync(file, xml);
  return file;
}

/**
 * Registers `extension` with its digest secret from a SIP stack in the test, binding the Contact
 * to `contactPort` (where a sipp UAS listens): sipp matches everything by Call-ID, so one sipp
 * cannot both REGISTER and receive an INVITE with the switch's own Call-ID.
 */
export async function registerContact(
  sys: Pick<TestSystem, 'sipPort'>,
  contactPort: number,
  extension = '1004',
  secret = 'dave-secret',
): Promise<SipStack> {
  const stack = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'] });
  const req = stack.createRequest('REGISTER', `sip:127.0.0.1:${sys.sipPort}`, {
    from: `sip:${extension}@127.0.0.1`,
    to: `sip:${extension}@127.0.0.1`,
    contact: `<sip:${extension}@127.0.0.1:${contactPort}>`,
    headers: [['Expires', '300']],
  });
  const res = await stack.send(req, { credentials: { username: extension, password: secret } });
  if (res.status !== 200) throw new Error(`REGISTER ${extension}: ${res.status}`);
  return stack;
}

/** Starts a sipp desk phone (UAS) and registers 1004 to it. */
export async function startDesk(
  sys: Pick<TestSystem, 'sipPort'>,
  mode: DeskMode,
  mediaPort: number,
  calls = 1,
): Promise<SippProcess> {
  const desk = await startSipp({
    scenario: deskPhoneScenario(mode, mediaPort),
    transport: 'udp',
    timeoutMs: 30_000,
    args: ['-m', String(calls), '-trace_err'],
  });
  const reg = await registerContact(sys, desk.port);
  void desk.exited.then(() => reg.close());
  return desk;
}

/**
 * A sipp desk phone that answers every call (up to `calls`), registered as `extension` with a SIP
 * secret of its own (the extension is switched to a SIP one). Stopped when the test ends.
 */
export async function answeringDeskAs(
  sys: TestSystem,
  defer: Defer,
  extension: string,
  mediaPort: number,
  calls: number,
): Promise<void> {
  const secret = `${extension}-secret`;
  await sys.db
    .updateTable('extensions')
    .set({ type: 'sip', sip_secret: secret })
    .where('number', '=', extension)
    .execute();
  const phone = await startSipp({
    scenario: deskPhoneScenario('answer', mediaPort),
    transport: 'udp',
    timeoutMs: 120_000,
    args: ['-m', String(calls), '-trace_err'],
  });
  defer(() => {
    phone.kill();
    return phone.exited;
  });
  const reg = await registerContact(sys, phone.port, extension, secret);
  defer(() => reg.close());
}

export interface CarrierCallOptions {
  did: string;
  /** Expected final response; 200 plays audio (+ DTMF), optionally holds, then hangs up. */
  expect: 200 | 486 | 480 | 603 | 404 | 403;
  talkMs?: number;
  /**
   * Speak for the whole talk time: the speech recording (7.05 s) is played again every 7.1 s.
   * Without it the caller is silent after 7 s, which a call that waits long before an agent takes it
   * (a busy machine makes every wait longer) would reach before the agent hears anything.
   */
  speakThroughout?: boolean;
  dtmf?: boolean;
  /** Put the switch (the agent) on hold for this long after the audio. */
  holdMs?: number;
}

/** Just longer than sipp's speech recording (g711a.pcap, 7.05 s), so replays never overlap. */
const SPEECH_REPLAY_MS = 7100;

/** A sipp carrier scenario placing one call to a DID (PCMA + telephone-event, like most carriers). */
export function carrierScenario(o: CarrierCallOptions): string {
  const inDialog = (method: string, cseq: number, body?: string) => `
  <send retrans="500"><![CDATA[
      ${method} [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:+12025550199@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: ${cseq} ${method}
      Contact: <sip:carrier@[local_ip]:[local_port]>
      Max-Forwards: 70${body ? '\n      Content-Type: application/sdp' : ''}
      Content-Length: [len]

${body ?? ''}]]></send>`;
  const ack = (cseq: number) => `
  <send><![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:+12025550199@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: ${cseq} ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>`;
  let body = '';
  if (o.expect === 200) {
    const talkMs = o.talkMs ?? 2000;
    const play = `<nop><action><exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap" /></action></nop>`;
    const replays = o.speakThroughout ? Math.floor(talkMs / SPEECH_REPLAY_MS) : 0;
    body += `<recv response="200" rrs="true" />${ack(1)}
  ${play}`;
    for (let i = 0; i < replays; i++) body += `\n  <pause milliseconds="${SPEECH_REPLAY_MS}" />\n  ${play}`;
    body += `\n  <pause milliseconds="${talkMs - replays * SPEECH_REPLAY_MS}" />`;
    if (o.dtmf)
      body += `<nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_7.pcap" /></action></nop>
  <pause milliseconds="800" />`;
    let cseq = 2;
    if (o.holdMs !== undefined) {
      body += `${inDialog('INVITE', cseq, carrierOffer('sendonly'))}
  <recv response="100" optional="true" />
  <recv response="200" />${ack(cseq)}
  <pause milliseconds="${o.holdMs}" />`;
      cseq++;
      body += `${inDialog('INVITE', cseq, carrierOffer('sendrecv'))}
  <recv response="100" optional="true" />
  <recv response="200" />${ack(cseq)}
  <pause milliseconds="300" />`;
      cseq++;
    }
    body += `${inDialog('BYE', cseq)}
  <recv response="200" />`;
  } else {
    // The ACK for a final error response belongs to the INVITE transaction (§17.1.1.3): same branch.
    body += `<recv response="${o.expect}" />
  <send><![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-5]
      From: <sip:+12025550199@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>`;
  }
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="carrier calls ${o.did}">
  ${carrierInvite('From: "Carrier" <sip:+12025550199@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]')}
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="183" optional="true" />
  ${body}
</scenario>`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-carrier-'));
  const file = path.join(dir, 'carrier.xml');
  writeFileSync(file, xml);
  return file;
}

/** One sipp carrier call into a DID (`carrierScenario`), killed when the test ends. */
export async function carrierCall(
  defer: Defer,
  sys: TestSystem,
  o: CarrierCallOptions,
): Promise<SippProcess> {
  const mp = await freeMediaPorts();
  const carrier = await startSipp({
    scenario: carrierScenario(o),
    transport: 'udp',
    remote: `127.0.0.1:${sys.sipPort}`,
    timeoutMs: 20_000,
    args: ['-s', o.did, '-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-trace_err'],
  });
  defer(() => {
    carrier.kill();
    return carrier.exited;
  });
  return carrier;
}

/**
 * A sipp carrier (UAS) for outbound calls: optionally challenges the INVITE with 401 (carrier /
 * s3cret), rings, answers with RTP echo, waits for BYE. With `expectNumber` the call fails unless
 * the (first) INVITE's Request-URI user is that number.
 */
export function carrierUasScenario(challenge: boolean, expectNumber?: string): string {
  const resp = (status: string, extraHeaders?: string, sdp?: string) =>
    uasReply(status, { contactUser: 'carrier', extraHeaders, sdp });
  const answer = phoneSdp();
  // The Request-URI must carry the real number (masking never reaches the carrier).
  let xml = expectNumber
    ? `<recv request="INVITE"><action><ereg regexp="^INVITE sip:${expectNumber.replace('+', '\\+')}@" search_in="msg" check_it="true" assign_to="ruri" /></action></recv>
  <nop><action><log message="Request-URI [$ruri]" /></action></nop>`
    : '<recv request="INVITE" />';
  if (challenge)
    xml += `${resp('401 Unauthorized', '\n      WWW-Authenticate: Digest realm="carrier.example", nonce="[pid][call_number]n0nce", algorithm=MD5, qop="auth"')}
  <recv request="ACK" />
  <recv request="INVITE"><action><verifyauth assign_to="authvalid" username="carrier" password="s3cret" /><ereg regexp="&lt;sip:1004@" search_in="hdr" header="P-Asserted-Identity:" check_it="true" assign_to="pai" /></action></recv>
  <nop><action><log message="PAI [$pai]" /></action></nop>
  <nop test="authvalid" next="good" />
  ${resp('403 Forbidden')}
  <recv request="ACK" next="end" />
  <label id="good" />`;
  xml += `${resp('180 Ringing')}${resp('200 OK', '', answer)}
  <recv request="ACK" />
  <recv request="BYE" />${resp('200 OK')}
  <label id="end" />`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-carrier-uas-'));
  const file = path.join(dir, 'carrier-uas.xml');
  writeFileSync(file, sippScenarioXml('carrier answers', xml));
  return file;
}

/** Desk phone 1004 as a SIP stack in the test: registers from its own port, then places calls. */
export async function deskPhoneStack(sys: TestSystem): Promise<SipStack> {
  const stack = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'] });
  const req = stack.createRequest('REGISTER', `sip:127.0.0.1:${sys.sipPort}`, {
    from: 'sip:1004@127.0.0.1',
    to: 'sip:1004@127.0.0.1',
    headers: [['Expires', '300']],
  });
  const res = await stack.send(req, { credentials: { username: '1004', password: 'dave-secret' } });
  if (res.status !== 200) throw new Error(`REGISTER 1004: ${res.status}`);
  return stack;
}

/**
 * A sipp carrier that calls a DID and hangs up (CANCEL) once the switch reports the extension
 * ringing (183 + ringback), then expects 487 and ACKs it.
 */
export function carrierCancelScenario(did: string): string {
  const from = 'From: "Carrier" <sip:+12025550199@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]';
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="carrier calls ${did} and cancels">
  ${carrierInvite(from)}
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="183" />
  <send retrans="500"><![CDATA[
      CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-4]
      ${from}
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 CANCEL
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <recv response="200" />
  <recv response="487" />
  <send><![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-7]
      ${from}
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <pause milliseconds="200" />
</scenario>`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-carrier-cancel-'));
  const file = path.join(dir, 'carrier-cancel.xml');
  writeFileSync(file, xml);
  return file;
}

/**
 * A phone in the test (call control): its own SIP stack (registers an extension, or calls
 * in as the carrier from an unregistered address) and a real RTP leg from packages/media, so the
 * test can talk (`talk`: loud G.711 frames) and count what it hears, per phase (`heard`).
 */
export class SoftPhone {
  leg: RtpLeg | null = null;
  dialog: SessionDialog | null = null;
  /** Non-silent audio frames received. */
  heard = 0;
  readonly digits: string[] = [];
  readonly invites: IncomingRequest[] = [];
  private readonly waiters: Array<() => void> = [];
  onInvite: ((inc: IncomingRequest) => void) | null = null;
  /** In-dialog requests (NOTIFY for a REFER, BYE…) as they arrive. */
  readonly inDialog: IncomingRequest[] = [];

  private constructor(
    readonly stack: SipStack,
    private readonly pool: PortPool,
  ) {
    stack.onRequest = (inc) => {
      if (inc.method !== 'INVITE') return void inc.reply(inc.method === 'ACK' ? 200 : 405);
      this.invites.push(inc);
      inc.progress(180);
      if (this.onInvite) this.onInvite(inc);
      this.wake();
    };
  }

  /** `ports`: a private range of 20+ UDP ports for this phone's RTP. */
  static async start(ports: { min: number; max: number }): Promise<SoftPhone> {
    const stack = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'] });
    return new SoftPhone(stack, new PortPool(ports));
  }

  get port(): number {
    return this.stack.port;
  }

  async register(sys: Pick<TestSystem, 'sipPort'>, extension: string, secret: string): Promise<void> {
    const req = this.stack.createRequest('REGISTER', `sip:127.0.0.1:${sys.sipPort}`, {
      from: `sip:${extension}@127.0.0.1`,
      to: `sip:${extension}@127.0.0.1`,
      headers: [['Expires', '300']],
    });
    const res = await this.stack.send(req, { credentials: { username: extension, password: secret } });
    if (res.status !== 200) throw new Error(`REGISTER ${extension}: ${res.status}`);
  }

  private async newLeg(): Promise<RtpLeg> {
    this.leg?.close();
    const leg = await RtpLeg.create({ pool: this.pool, bindAddress: '127.0.0.1' });
    leg.audioSink = (_from, buf, h, law) => {
      const silence = law === 'PCMU' ? 0xff : 0xd5;
      for (let i = h.payloadOffset; i < h.payloadEnd; i++)
        if (Math.abs(buf[i]! - silence) > 2 && Math.abs(buf[i]! - (silence ^ 0x80)) > 2) {
          this.heard++;
          this.wake();
          return;
        }
    };
    leg.on('digit', (d) => {
      this.digits.push(d);
      this.wake();
    });
    this.leg = leg;
    return leg;
  }

  private watch(dialog: SessionDialog): void {
    this.dialog = dialog;
    dialog.onRequest = (inc) => {
      this.inDialog.push(inc);
      if (inc.method === 'INVITE' && inc.request.bodyText && this.leg) {
        void this.leg
          .acceptOffer(inc.request.bodyText)
          .then((sdp) => inc.reply(200, { body: sdp, contentType: 'application/sdp' }));
      } else inc.reply(200);
      this.wake();
    };
    dialog.onTerminated = () => this.wake();
  }

  /** The next INVITE to this phone (already answered 180). */
  async nextInvite(timeoutMs = 8000): Promise<IncomingRequest> {
    await this.until(() => this.invites.length > 0, timeoutMs, 'no INVITE');
    return this.invites.shift()!;
  }

  /** Answers `inc` with a fresh RTP leg. */
  async answer(inc: IncomingRequest): Promise<SessionDialog> {
    const leg = await this.newLeg();
    const sdp = await leg.acceptOffer(inc.request.bodyText);
    const dialog = inc.accept({ body: sdp, contentType: 'application/sdp' });
    this.watch(dialog);
    return dialog;
  }

  /** Calls `user` at the switch; resolves with the final status (and the dialog on 2xx). */
  async call(sys: Pick<TestSystem, 'sipPort'>, user: string, fromUser: string) {
    const leg = await this.newLeg();
    const req = this.stack.createRequest('INVITE', `sip:${user}@127.0.0.1:${sys.sipPort}`, {
      from: `sip:${fromUser}@127.0.0.1`,
      to: `sip:${user}@127.0.0.1`,
      body: await leg.createOffer(),
      contentType: 'application/sdp',
    });
    const { response, dialog } = await this.stack.invite(req).done;
    if (response.status < 300 && dialog) {
      await leg.acceptAnswer(response.bodyText);
      this.watch(dialog);
    }
    return { status: response.status, dialog: dialog ?? null };
  }

  /** Sends `ms` of loud audio (20 ms frames, paced). */
  async talk(ms = 600): Promise<void> {
    const frame = Buffer.alloc(160, 0x20);
    for (let t = 0; t < ms; t += 20) {
      this.leg?.sendFrame(frame);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Resolves once `test()` holds (checked as packets and requests arrive). */
  until(test: () => boolean, timeoutMs = 8000, what = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`soft phone ${this.port}: ${what} not met in time`)),
        timeoutMs,
      );
      const check = () => {
        if (test()) {
          clearTimeout(t);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  close(): void {
    this.leg?.close();
    this.stack.close();
  }
}
