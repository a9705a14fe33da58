import { describe, expect, it } from 'vitest';
import { buildAudioSdp, parseAudioSdp } from './audio-sdp';

const OFFER = [
  'v=0',
  'o=- 1 1 IN IP4 10.0.0.1',
  's=-',
  'c=IN IP4 10.0.0.1',
  't=0 0',
  'm=audio 4000 RTP/AVP 8 0 110 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:101 telephone-event/8000',
  'a=sendonly',
  '',
].join('\r\n');

describe('audio SDP', () => {
  it('parses codecs in order, telephone-event/8000 only, direction', () => {
    const d = parseAudioSdp(OFFER);
    expect(d.address).toBe('10.0.0.1');
    expect(d.port).toBe(4000);
    expect(d.codecs).toEqual([
      { law: 'PCMA', pt: 8 },
      { law: 'PCMU', pt: 0 },
    ]);
    expect(d.dtmfPt).toBe(101);
    expect(d.direction).toBe('sendonly');
  });

  it('round-trips what it builds', () => {
    const sdp = buildAudioSdp({
      address: '127.0.0.1',
      port: 20000,
      codecs: [{ law: 'PCMU', pt: 0 }],
      dtmfPt: 96,
      direction: 'sendrecv',
      sessionId: 1,
      version: 0,
    });
    expect(parseAudioSdp(sdp)).toMatchObject({
      port: 20000,
      dtmfPt: 96,
      codecs: [{ law: 'PCMU', pt: 0 }],
      direction: 'sendrecv',
    });
  });

  it('treats c=0.0.0.0 as hold and rejects SDP without audio', () => {
    expect(
      parseAudioSdp(OFFER.replace('c=IN IP4 10.0.0.1', 'c=IN IP4 0.0.0.0').replace('a=sendonly', ''))
        .direction,
    ).toBe('sendonly');
    expect(() => parseAudioSdp('v=0\r\nm=video 1 RTP/AVP 96\r\n')).toThrow(/no audio/);
  });
});
