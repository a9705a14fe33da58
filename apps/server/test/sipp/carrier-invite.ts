// Pieces of the sipp carrier scenarios shared by the switch tests, the Playwright browser-call test
// and bench/switch. Kept free of imports so each of those can load it.

/** The carrier's SDP offer: PCMA plus telephone-event, like most carriers. */
export function carrierOffer(direction: 'sendrecv' | 'sendonly' = 'sendrecv'): string {
  return `v=0
o=carrier 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8 101
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=${direction}
`;
}

/**
 * The INVITE a sipp carrier sends to the DID in `-s` ([service]) with `from` as its From header;
 * `startRtd` starts sipp's response-time clock on it.
 */
export function carrierInvite(from: string, options: { startRtd?: boolean } = {}): string {
  return `<send retrans="500"${options.startRtd ? ' start_rtd="1"' : ''}><![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      ${from}
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:carrier@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${carrierOffer()}]]></send>`;
}
