// Headless Chromium with a plain RTCPeerConnection page; page.evaluate is the signalling channel.
import { type Browser, chromium, type Page } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** A page on a secure origin (http://localhost, served by route) so getUserMedia is allowed. */
export async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  await page.route('http://localhost/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>rtc</title>' }),
  );
  await page.goto('http://localhost/');
  await page.evaluate(PAGE_SCRIPT);
  return page;
}

// Installed into the page: one peer connection with the fake microphone, an encoded-frame tap on the
// receiver that records payload types (so tests can see RFC 4733 events arrive), and helpers.
const PAGE_SCRIPT = `(() => {
  const w = window;
  w.rxPayloadTypes = {};
  w.trackEvents = 0;
  w.makePc = async () => {
    const pc = new RTCPeerConnection({ iceServers: [], encodedInsertableStreams: true });
    w.pc = pc;
    pc.ontrack = (ev) => {
      w.trackEvents++;
      if (ev.receiver.__tapped) return;
      ev.receiver.__tapped = true;
      // Play the remote audio so Chrome decodes it (audioLevel is measured on playout).
      const el = document.createElement('audio');
      el.srcObject = new MediaStream([ev.track]);
      el.autoplay = true;
      document.body.appendChild(el);
      el.play().catch(() => {});
      const { readable, writable } = ev.receiver.createEncodedStreams();
      readable.pipeThrough(new TransformStream({
        transform(frame, ctl) {
          const pt = frame.getMetadata().payloadType;
          w.rxPayloadTypes[pt] = (w.rxPayloadTypes[pt] || 0) + 1;
          ctl.enqueue(frame);
        },
      })).pipeTo(writable);
    };
    w.mic = await navigator.mediaDevices.getUserMedia({ audio: true });
    return pc;
  };
  w.addMic = (pc) => {
    const t = w.mic.getAudioTracks()[0];
    const existing = pc.getTransceivers().find((x) => x.receiver.track.kind === 'audio');
    if (existing) { existing.direction = 'sendrecv'; existing.sender.replaceTrack(t); w.audioSender = existing.sender; }
    else { w.audioSender = pc.addTrack(t, w.mic); }
    // With encodedInsertableStreams every sender must be piped too, or it sends nothing.
    if (!w.audioSender.__piped) {
      w.audioSender.__piped = true;
      const { readable, writable } = w.audioSender.createEncodedStreams();
      readable.pipeTo(writable);
    }
  };
  w.gathered = (pc) => new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
  });
  w.stats = async () => {
    const out = { inbound: null, outbound: null };
    (await w.pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') out.inbound = { packetsReceived: s.packetsReceived, audioLevel: s.audioLevel ?? 0, totalAudioEnergy: s.totalAudioEnergy ?? 0 };
      if (s.type === 'outbound-rtp' && s.kind === 'audio') out.outbound = { packetsSent: s.packetsSent };
    });
    return out;
  };
})()`;

export interface PageStats {
  inbound: { packetsReceived: number; audioLevel: number; totalAudioEnergy: number } | null;
  outbound: { packetsSent: number } | null;
}

export function stats(page: Page): Promise<PageStats> {
  return page.evaluate('window.stats()') as Promise<PageStats>;
}

/** Poll until cond holds; every test bound is explicit. */
export async function until<T>(
  fn: () => Promise<T>,
  cond: (v: T) => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (cond(v)) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Apply an SDP answer to the page's peer connection. */
export async function setRemoteAnswer(page: Page, sdp: string): Promise<void> {
  await page.evaluate(`window.pc.setRemoteDescription({ type: 'answer', sdp: ${JSON.stringify(sdp)} })`);
}
