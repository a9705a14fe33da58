import { describe, expect, it } from 'vitest';
import {
  answerDirection,
  createAnswer,
  createOffer,
  filterCodecs,
  getDirection,
  isHold,
  mediaCodecs,
  parseSdp,
  setDirection,
} from './offer-answer';

const browserOffer = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 9 0 8 110 126',
  'c=IN IP4 0.0.0.0',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=sendrecv',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=rtpmap:96 VP8/90000',
  '',
].join('\r\n');

const carrierOffer = [
  'v=0',
  'o=carrier 1 1 IN IP4 192.0.2.5',
  's=-',
  'c=IN IP4 192.0.2.5',
  't=0 0',
  'm=audio 30000 RTP/AVP 18 8 0 101',
  'a=rtpmap:18 G729/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendonly',
  '',
].join('\r\n');

describe('SDP offer/answer helpers', () => {
  it('filters to PCMU/PCMA and telephone-event/8000, disabling other media', () => {
    const s = parseSdp(filterCodecs(browserOffer));
    const audio = s.media[0]!;
    expect(mediaCodecs(audio).map((c) => `${c.codec}/${c.rate}`)).toEqual([
      'PCMU/8000',
      'PCMA/8000',
      'telephone-event/8000',
    ]);
    expect(audio.fmtp.map((f) => f.payload)).toEqual([]);
    expect(s.media[1]!.port).toBe(0);
  });

  it('answers a carrier offer with its preferred G.711 and answers hold with recvonly', () => {
    const a = createAnswer(carrierOffer, { address: '127.0.0.1', port: 20000 })!;
    expect(a.codec.codec).toBe('PCMA');
    expect(a.telephoneEvent).toBe(101);
    expect(a.remoteAddress).toBe('192.0.2.5');
    expect(a.remotePort).toBe(30000);
    expect(a.direction).toBe('recvonly');
    const s = parseSdp(a.sdp);
    expect(s.media[0]!.payloads).toBe('8 101');
    expect(getDirection(a.sdp)).toBe('recvonly');
  });

  it('refuses an offer with no common codec', () => {
    expect(
      createAnswer(carrierOffer.replace('18 8 0 101', '18').replace('a=rtpmap:101', 'a=x'), {
        address: '127.0.0.1',
        port: 1,
      }),
    ).toBeUndefined();
  });

  it('hold and resume by direction (RFC 3264 §8.4)', () => {
    const offer = createOffer({ address: '127.0.0.1', port: 20002 });
    expect(getDirection(offer)).toBe('sendrecv');
    const held = setDirection(offer, 'sendonly');
    expect(isHold(held)).toBe(true);
    expect(isHold(offer)).toBe(false);
    expect(answerDirection('sendonly')).toBe('recvonly');
    expect(answerDirection('recvonly')).toBe('sendonly');
    expect(answerDirection('inactive')).toBe('inactive');
    expect(answerDirection('sendrecv', 'sendonly')).toBe('sendonly');
    expect(mediaCodecs(parseSdp(offer).media[0]!).map((c) => c.payload)).toEqual([0, 8, 101]);
  });
});
