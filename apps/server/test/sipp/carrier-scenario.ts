// The sipp carrier scenario every switch test, Playwright test and bench places its calls with: one
// INVITE to the DID in `-s`, the ACK, then either the switch's BYE or the carrier's own after a
// while. Free of package imports (node built-ins only) so each of those can load it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { carrierInvite } from './carrier-invite';

/** sipp's G.711 A-law speech sample; lasts 7.05 s. */
export const SPEECH_PCAP = '/usr/share/sip-tester/g711a.pcap';
const speechMs = 7100;

export interface CarrierScenarioOptions {
  /** The caller's number (user part of From); sipp keywords allowed, e.g. `+1202555[call_number]`. */
  caller: string;
  /** The From header's display name; none by default. */
  displayName?: string;
  /**
   * Where the SDP offer puts the customer's media, when not at sipp's own `-mi`/`-mp` (a test's
   * socket listening for what the switch sends).
   */
  media?: { address?: string; port?: number };
  /** Starts sipp's response-time clock on the INVITE and stops it at the 18x (bench/switch). */
  measureRinging?: boolean;
  /**
   * What the customer says once answered: `once` plays the speech sample once, `until-hangup`
   * replays it back to back until the switch's BYE; silent by default (sipp may still echo with
   * -rtp_echo).
   */
  speech?: 'once' | 'until-hangup';
  /** The carrier hangs up after this long in the call; without it, it waits for the switch's BYE. */
  hangUpAfterMs?: number;
}

/** The scenario's XML. */
export function carrierScenarioXml(options: CarrierScenarioOptions): string {
  if (options.speech === 'until-hangup' && options.hangUpAfterMs !== undefined)
    throw new Error('a carrier that hangs up by itself plays its speech once');
  const displayName = options.displayName ? `"${options.displayName}" ` : '';
  const from = `From: ${displayName}<sip:${options.caller}@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]`;
  let invite = carrierInvite(from, { startRtd: options.measureRinging });
  if (options.media?.address) invite = invite.replace(/\[media_ip\]/g, options.media.address);
  if (options.media?.port) invite = invite.replace(/\[media_port\]/g, String(options.media.port));
  const rtd = options.measureRinging ? ' rtd="1"' : '';
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
  const play = `
  <nop><action><exec play_pcap_audio="${SPEECH_PCAP}" /></action></nop>`;
  const byeAnswered = `
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]></send>`;
  let inCall: string;
  if (options.hangUpAfterMs !== undefined)
    inCall = `${options.speech === 'once' ? play : ''}
  <pause milliseconds="${options.hangUpAfterMs}" />${inDialog('BYE', 2)}
  <recv response="200" />`;
  else if (options.speech === 'until-hangup')
    inCall = `
  <label id="talk" />${play}
  <recv request="BYE" timeout="${speechMs}" ontimeout="talk" />${byeAnswered}`;
  else
    inCall = `${options.speech === 'once' ? play : ''}
  <recv request="BYE" />${byeAnswered}`;
  const ending = options.hangUpAfterMs === undefined ? 'waits for the BYE' : 'hangs up';
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="carrier calls the DID and ${ending}">
  ${invite}
  <recv response="100" optional="true" />
  <recv response="180" optional="true"${rtd} />
  <recv response="183" optional="true"${rtd} />
  <recv response="200" rrs="true" />${inDialog('ACK', 1)}${inCall}
</scenario>
`;
}

/** Writes the scenario into a new temporary folder (sipp's working directory too, for its logs). */
export function writeCarrierScenario(options: CarrierScenarioOptions): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-sipp-carrier-'));
  const file = path.join(dir, 'carrier.xml');
  writeFileSync(file, carrierScenarioXml(options));
  return { dir, file };
}
