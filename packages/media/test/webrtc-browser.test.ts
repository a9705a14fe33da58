import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import type { Browser, Page } from '@playwright/test';
import { freeUdpRange } from '@switchboard/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket } from 'werift';
import { WebRtcLeg } from '../src/legs/webrtc-leg';
import { PromptPlayer } from '../src/player/prompt-player';
import { launchBrowser, openPage, setRemoteAnswer, stats, until } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 40_000);
afterAll(async () => {
  await browser?.close();
});

async function newLeg(lean = true): Promise<WebRtcLeg> {
  const start = await freeUdpRange(20);
  return new WebRtcLeg({
    publicAddress: '127.0.0.1',
    portRange: [start, start + 19],
    lean,
    rtcpIntervalS: 1,
  });
}

async function connectAsAnswerer(page: Page, leg: WebRtcLeg): Promise<void> {
  const offer = (await page.evaluate(`(async () => {
    const pc = await window.makePc();
    window.addMic(pc);
    await pc.setLocalDescription(await pc.createOffer());
    await window.gathered(pc);
    return pc.localDescription.sdp;
  })()`)) as string;
  const answer = await leg.acceptOffer(offer);
  await setRemoteAnswer(page, answer);
  await leg.connected();
}

async function renegotiate(
  page: Page,
  leg: WebRtcLeg,
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive',
): Promise<string> {
  const offer = (await page.evaluate(`(async () => {
    const pc = window.pc;
    pc.getTransceivers()[0].direction = '${direction}';
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription.sdp;
  })()`)) as string;
  const answer = await leg.acceptOffer(offer);
  await setRemoteAnswer(page, answer);
  return answer;
}

describe('WebRtcLeg with headless Chromium', () => {
  // On werift's own media path (lean: false) so the werift defects are visible and their handling tested.
  it('answers a browser offer: audio both ways, DTMF from and to the browser, hold and resume', async () => {
    const page = await openPage(browser);
    const leg = await newLeg(false);
    const tracks: unknown[] = [];
    leg.pc.onTrack.subscribe((t) => tracks.push(t));
    try {
      await connectAsAnswerer(page, leg);
      // Only /8000 events may be answered (werift defect 1): the browser offered /48000 too.
      const answer = leg.pc.localDescription!.sdp;
      expect(answer).toMatch(/telephone-event\/8000/);
      expect(answer).not.toMatch(/telephone-event\/48000|opus/i);
      expect(answer).toMatch(/a=fingerprint:sha-256/);

      const playback = new PromptPlayer().play(leg, 'hold-music', { loop: true });
      await until(
        () => stats(page),
        (s) => (s.inbound?.audioLevel ?? 0) > 0 && (s.inbound?.packetsReceived ?? 0) > 50,
        10_000,
        'browser hears our tone',
      );
      await until(
        async () => leg.quality().packetsReceived,
        (n) => n > 50,
        10_000,
        'leg hears the browser',
      );
      playback.stop();

      // Browser → us: insertDTMF on the audio sender.
      const digits = leg.digits.collect({
        maxDigits: 4,
        firstDigitTimeoutMs: 8000,
        interDigitTimeoutMs: 3000,
      });
      await page.evaluate(`window.audioSender.dtmf.insertDTMF('123#', 100, 70)`);
      expect(await digits).toBe('123#');

      // Us → browser: events arrive with the negotiated telephone-event PT (werift defect 2: its
      // RTCRtpSender would have rewritten them to PCMU).
      const dtmfPt = leg.dtmfPt!;
      await leg.sendDigits('5', 100, 20);
      const pts = await until(
        () => page.evaluate('window.rxPayloadTypes') as Promise<Record<string, number>>,
        (p) => (p[dtmfPt] ?? 0) >= 5,
        5000,
        'telephone-event frames at the browser',
      );
      expect(pts[dtmfPt]).toBeGreaterThanOrEqual(5);
      // The need for our own send path: werift's RTCRtpSender.sendRtp stamps the primary codec's PT
      // on whatever it is given. Observe what it hands to the DTLS transport.
      const sender = leg.pc.getTransceivers()[0]!.sender;
      const dtls = sender.dtlsTransport;
      const realSend = dtls.sendRtp.bind(dtls);
      const handed: number[] = [];
      dtls.sendRtp = async (_payload, header) => {
        handed.push(header.payloadType);
        return 0;
      };
      try {
        await sender.sendRtp(
          new RtpPacket(
            new RtpHeader({ payloadType: dtmfPt, sequenceNumber: 1, timestamp: 1 }),
            Buffer.from([5, 0x8a, 0, 160]),
          ),
        );
      } finally {
        dtls.sendRtp = realSend;
      }
      expect(handed).toEqual([leg.audioPt]);

      // Hold: browser re-offers sendonly, we must stop sending (werift defect 3: its sender would not).
      const holdAnswer = await renegotiate(page, leg, 'sendonly');
      expect(holdAnswer).toMatch(/a=recvonly/);
      expect(leg.direction).toBe('recvonly');
      const sentBefore = dtls.packetsSent;
      for (let i = 0; i < 10; i++) leg.sendFrame(Buffer.alloc(160, 0xff));
      expect(dtls.packetsSent).toBe(sentBefore);
      let weriftSent = 0;
      dtls.sendRtp = async () => {
        weriftSent++;
        return 0;
      };
      try {
        await sender.sendRtp(
          new RtpPacket(
            new RtpHeader({ payloadType: 0, sequenceNumber: 2, timestamp: 2 }),
            Buffer.alloc(160, 0xff),
          ),
        );
      } finally {
        dtls.sendRtp = realSend;
      }
      expect(weriftSent).toBe(1); // werift alone would keep sending on hold

      // Resume: onTrack fires again with the same track (defect 4); packets must be counted once.
      await renegotiate(page, leg, 'sendrecv');
      expect(leg.direction).toBe('sendrecv');
      await until(
        async () => tracks.length,
        (n) => n >= 2,
        5000,
        'second onTrack',
      );
      expect(tracks[1]).toBe(tracks[0]);
      const b0 = (await stats(page)).outbound!.packetsSent;
      const l0 = leg.quality().packetsReceived;
      await new Promise((r) => setTimeout(r, 1000));
      const b1 = (await stats(page)).outbound!.packetsSent;
      const l1 = leg.quality().packetsReceived;
      const ratio = (l1 - l0) / (b1 - b0);
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1.2);
    } finally {
      leg.close();
      await page.close();
    }
  });

  // On the lean path: our SRTP (AES_CM_128_HMAC_SHA1_80) against Chromium's.
  it('offers to the browser: audio both ways and DTMF, over our own SRTP path', async () => {
    const page = await openPage(browser);
    const leg = await newLeg();
    try {
      const offer = await leg.createOffer();
      expect(offer).not.toMatch(/opus|VP8|H264/i);
      expect(offer).toMatch(/a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 /);
      const answer = (await page.evaluate(
        `(async (sdp) => {
          const pc = await window.makePc();
          await pc.setRemoteDescription({ type: 'offer', sdp });
          window.addMic(pc);
          await pc.setLocalDescription(await pc.createAnswer());
          await window.gathered(pc);
          return pc.localDescription.sdp;
        })(${JSON.stringify(offer)})`,
      )) as string;
      await leg.acceptAnswer(answer);
      await leg.connected();
      expect(leg.leanPath).toBe(true);
      // Unauthenticated SRTP-looking datagrams and random bytes at the leg's ICE port are dropped.
      const icePort = Number(/a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+)/.exec(offer)![1]);
      const junk = dgram.createSocket('udp4');
      for (let i = 0; i < 300; i++) {
        const b = randomBytes(20 + (i % 200));
        if (i % 2 === 0) b[0] = 0x80; // looks like RTP, fails authentication
        junk.send(b, icePort, '127.0.0.1');
      }
      await until(
        async () => leg.dropped,
        (n) => n >= 100,
        5000,
        'forged SRTP dropped',
      );
      junk.close();
      const playback = new PromptPlayer().play(leg, 'hold-music', { loop: true });
      await until(
        () => stats(page),
        (s) => (s.inbound?.audioLevel ?? 0) > 0,
        10_000,
        'browser hears our tone',
      );
      await until(
        async () => leg.quality().packetsReceived,
        (n) => n > 50,
        10_000,
        'leg hears the browser',
      );
      playback.stop();
      const digits = leg.digits.collect({
        maxDigits: 4,
        firstDigitTimeoutMs: 8000,
        interDigitTimeoutMs: 3000,
      });
      await page.evaluate(`window.audioSender.dtmf.insertDTMF('123#', 100, 70)`);
      expect(await digits).toBe('123#');
      // DTMF toward the browser on the lean path too.
      await leg.sendDigits('9', 100, 20);
      await until(
        () => page.evaluate('window.rxPayloadTypes') as Promise<Record<string, number>>,
        (p) => (p[leg.dtmfPt!] ?? 0) >= 5,
        5000,
        'telephone-event frames at the browser',
      );
    } finally {
      leg.close();
      await page.close();
    }
  });
});
