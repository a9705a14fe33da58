import type { Browser } from '@playwright/test';
import { freeUdpRange } from '@switchboard/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bridge } from '../src/bridge';
import { RtpLeg } from '../src/legs/rtp-leg';
import { WebRtcLeg } from '../src/legs/webrtc-leg';
import { PortPool } from '../src/port-pool';
import { launchBrowser, openPage, setRemoteAnswer, stats, until } from './browser';
import { startSippUas, TinyUac } from './sipp';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 40_000);
afterAll(async () => {
  await browser?.close();
});

async function range(count: number): Promise<[number, number]> {
  const base = await freeUdpRange(count);
  return [base, base + count - 1];
}

describe('WebRtcLeg ↔ RtpLeg bridged to sipp', () => {
  it('carries audio both ways through sipp’s RTP echo and DTMF from both ends', async () => {
    const sipp = await startSippUas(2500);
    const page = await openPage(browser);
    const web = new WebRtcLeg({ publicAddress: '127.0.0.1', portRange: await range(20) });
    const [min, max] = await range(100);
    const rtp = await RtpLeg.create({ pool: new PortPool({ min, max }) });
    const uac = new TinyUac(sipp.port);
    try {
      // Browser → WebRtcLeg (we answer).
      const offer = (await page.evaluate(`(async () => {
        const pc = await window.makePc();
        window.addMic(pc);
        await pc.setLocalDescription(await pc.createOffer());
        await window.gathered(pc);
        return pc.localDescription.sdp;
      })()`)) as string;
      const answer = await web.acceptOffer(offer);
      await setRemoteAnswer(page, answer);
      await web.connected();
      expect(web.leanPath).toBe(true);

      // RtpLeg → sipp.
      await uac.bind();
      const bridge = new Bridge(web, rtp);
      expect(bridge.active).toBe(true);
      const carrierDigits: string[] = [];
      const browserSideDigits: string[] = [];
      rtp.onDigit((d) => carrierDigits.push(d));
      web.onDigit((d) => browserSideDigits.push(d));
      const sippAnswer = await uac.invite(await rtp.createOffer());
      await rtp.acceptAnswer(sippAnswer);
      expect(rtp.dtmfPt).toBe(101);

      // Audio: browser mic → WebRtcLeg → RtpLeg → sipp echo → RtpLeg → WebRtcLeg → browser speaker.
      await until(
        async () => rtp.quality().packetsReceived,
        (n) => n > 50,
        10_000,
        'echo from sipp',
      );
      await until(
        () => stats(page),
        (s) => (s.inbound?.totalAudioEnergy ?? 0) > 0,
        10_000,
        'browser hears the echo',
      );

      // sipp's pcaps (RFC 2833 events on their own SSRC, triple end packets) → '7', '#'.
      await until(
        async () => carrierDigits.filter((d) => d === '7' || d === '#').length,
        (n) => n >= 2,
        10_000,
        'pcap digits',
      );
      expect(carrierDigits.slice(0, 2)).toEqual(['7', '#']);
      // …passed through to the browser with the browser's telephone-event PT.
      const pts = await until(
        () => page.evaluate('window.rxPayloadTypes') as Promise<Record<string, number>>,
        (p) => (p[web.dtmfPt!] ?? 0) > 0,
        5000,
        'carrier DTMF at the browser',
      );
      expect(pts[web.dtmfPt!]).toBeGreaterThan(0);

      // Browser DTMF travels to the carrier (and back, echoed), detected on both legs.
      carrierDigits.length = 0;
      await page.evaluate(`window.audioSender.dtmf.insertDTMF('123#', 100, 70)`);
      await until(
        async () => carrierDigits.join(''),
        (s) => s.length >= 4,
        10_000,
        'echoed DTMF',
      );
      expect(carrierDigits.join('')).toBe('123#');
      expect(browserSideDigits.join('')).toBe('123#');

      await uac.bye();
      expect(await sipp.exited).toBe(0);
    } finally {
      sipp.kill();
      uac.close();
      web.close();
      rtp.close();
      await page.close();
    }
  });
});
