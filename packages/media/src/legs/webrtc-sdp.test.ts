import { describe, expect, it } from 'vitest';
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import { audioDirection, keepCandidates, restrictOfferToG711 } from './webrtc-sdp';

// The audio section Chromium 156 offers (captured from the browser test), trimmed to what matters.
const CHROME_OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=msid-semantic: WMS',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:1 1 udp 2122194687 192.0.2.2 59169 typ host generation 0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:0123456789abcdef01234567',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 58:CC:0E:79:8A:79:58:B3:23:B0:D1:BC:05:FC:B0:0F:C8:10:30:D3:70:11:E7:33:7F:0E:4C:36:33:D9:10:26',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:1 cname:x',
  '',
].join('\r\n');

function weriftPeer(): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: [],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceAdditionalHostAddresses: ['127.0.0.1'],
    icePortRange: [32900, 32919],
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 8000,
          channels: 1,
          payloadType: 101,
        }),
      ],
      video: [],
    },
  });
}

async function answerTo(offer: string): Promise<string> {
  const pc = weriftPeer();
  try {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const answer = await pc.createAnswer();
    return answer.sdp;
  } finally {
    await pc.close();
  }
}

describe('werift defect 1: telephone-event clock rate', () => {
  it('werift alone answers telephone-event/48000 to a Chrome offer', async () => {
    expect(await answerTo(CHROME_OFFER)).toMatch(/a=rtpmap:110 telephone-event\/48000/);
  });

  it('after restrictOfferToG711 only telephone-event/8000 can be chosen', async () => {
    const filtered = restrictOfferToG711(CHROME_OFFER);
    expect(filtered).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 0 8 126');
    expect(filtered).not.toMatch(/opus|red\/|G722|CN\/|48000|rtcp-fb:111|fmtp:63/);
    expect(filtered).toContain('a=fingerprint:sha-256');
    const answer = await answerTo(filtered);
    expect(answer).toMatch(/a=rtpmap:126 telephone-event\/8000/);
    expect(answer).not.toMatch(/48000/);
  });
});

describe('SDP helpers', () => {
  it('keeps only candidates on advertised addresses', () => {
    const sdp =
      'a=candidate:1 1 udp 1 192.0.2.2 5 typ host\r\na=candidate:2 1 udp 1 127.0.0.1 6 typ host\r\na=mid:0';
    expect(keepCandidates(sdp, ['127.0.0.1'])).toBe('a=candidate:2 1 udp 1 127.0.0.1 6 typ host\r\na=mid:0');
  });

  it("keeps the candidates the operator's TURN and STUN servers gave", () => {
    const relay = 'a=candidate:3 1 udp 5 198.51.100.7 49152 typ relay raddr 127.0.0.1 rport 6';
    const reflexive = 'a=candidate:4 1 udp 9 203.0.113.4 6 typ srflx raddr 127.0.0.1 rport 6';
    const sdp = ['a=candidate:1 1 udp 1 192.0.2.2 5 typ host', relay, reflexive, 'a=mid:0'].join('\r\n');
    expect(keepCandidates(sdp, ['127.0.0.1'], true)).toBe([relay, reflexive, 'a=mid:0'].join('\r\n'));
    // Without servers of the operator's, werift's own STUN answers are not advertised.
    expect(keepCandidates(sdp, ['127.0.0.1'])).toBe('a=mid:0');
  });

  it('reads the audio direction', () => {
    expect(audioDirection(CHROME_OFFER)).toBe('sendrecv');
    expect(audioDirection(CHROME_OFFER.replace('a=sendrecv', 'a=sendonly'))).toBe('sendonly');
  });
});
