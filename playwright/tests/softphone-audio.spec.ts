import { execFileSync } from 'node:child_process';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { existsSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import config from '../playwright.config';
import { screenshot } from './screenshots';
import { freePort, type SippProcess, startCarrier } from './support/carrier';
import { answer, hangUp, signIn } from './support/desk';
import { adminSession, carrierRoute } from './support/switch-setup';

/*
 * The softphone's audio settings in Chromium's fake devices (three inputs, three outputs: "Fake
 * Default …", "Fake … 1", "Fake … 2"), the microphone check, and the call bar's quality indicator on a
 * call whose customer leg loses packets.
 */

const AGENT = 'carol';
const AGENT_EXTENSION = '1003';

/**
 * Records every setSinkId the page makes (the ringtone's AudioContext, the call audio's element) and
 * every RTCPeerConnection; the calls still reach the browser, so audio really goes to that device.
 * Also lets a test hide devices from enumerateDevices (a headset unplugged).
 */
function audioProbe() {
  // No DOM types in this project: the browser's objects as far as they are used here.
  type Sink = { target: 'context' | 'media'; id: string };
  type SinkProto = { setSinkId(id: string): Promise<void> };
  type Ctor = new (...args: unknown[]) => object;
  type Device = { deviceId: string };
  type EnumerateProto = { enumerateDevices(): Promise<Device[]> };
  const g = globalThis as unknown as {
    __sinks: Sink[];
    __pcs: object[];
    __hiddenDevices: string[];
    AudioContext: { prototype: SinkProto };
    HTMLMediaElement: { prototype: SinkProto };
    MediaDevices: { prototype: EnumerateProto };
    RTCPeerConnection: Ctor;
  };
  g.__sinks = [];
  g.__pcs = [];
  g.__hiddenDevices = [];
  const record = (proto: SinkProto, target: Sink['target']) => {
    const native = proto.setSinkId;
    proto.setSinkId = function (this: object, id: string) {
      g.__sinks.push({ target, id });
      return native.call(this, id);
    };
  };
  record(g.AudioContext.prototype, 'context');
  record(g.HTMLMediaElement.prototype, 'media');
  const Native = g.RTCPeerConnection;
  g.RTCPeerConnection = class extends Native {
    constructor(...args: unknown[]) {
      super(...args);
      g.__pcs.push(this);
    }
  };
  const enumerate = g.MediaDevices.prototype.enumerateDevices;
  g.MediaDevices.prototype.enumerateDevices = async function (this: object) {
    const all = await enumerate.call(this);
    return all.filter((d) => !g.__hiddenDevices.includes(d.deviceId));
  };
}

type BrowserGlobals = {
  navigator: {
    mediaDevices: {
      enumerateDevices(): Promise<{ label: string; deviceId: string }[]>;
      dispatchEvent(e: unknown): boolean;
    };
  };
  Event: new (type: string) => unknown;
  __pcs: {
    connectionState: string;
    getSenders(): {
      track: { kind: string; getSettings(): { deviceId?: string; noiseSuppression?: boolean } } | null;
    }[];
  }[];
  __sinks: { target: string; id: string }[];
  __hiddenDevices: string[];
};

async function deviceIds(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async () => {
    const g = globalThis as unknown as BrowserGlobals;
    const out: Record<string, string> = {};
    for (const d of await g.navigator.mediaDevices.enumerateDevices()) if (d.label) out[d.label] = d.deviceId;
    return out;
  });
}

const sinks = (page: Page) => page.evaluate(() => (globalThis as unknown as BrowserGlobals).__sinks);

/** The microphone the call sends: the settings of the audio sender's track. */
const sentMicrophone = (page: Page) =>
  page.evaluate(() => {
    const pcs = (globalThis as unknown as BrowserGlobals).__pcs;
    const pc = pcs.findLast((p) => p.connectionState !== 'closed');
    const track = pc?.getSenders().find((s) => s.track?.kind === 'audio')?.track;
    const s = track?.getSettings();
    return s ? { deviceId: s.deviceId ?? null, noiseSuppression: s.noiseSuppression ?? null } : null;
  });

async function openAudioSettings(page: Page) {
  await page.getByRole('button', { name: 'Audio settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Audio settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function carolDesk(browser: Browser): Promise<Page> {
  return signIn(browser, AGENT, { initScript: audioProbe });
}

test('the agent chooses microphone, speaker and ring device: remembered, the ring plays on the ring device, and a change applies during the call', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const page = await carolDesk(browser);
  const ids = await deviceIds(page);
  expect(Object.keys(ids)).toEqual(expect.arrayContaining(['Fake Audio Input 2', 'Fake Audio Output 2']));

  let dialog = await openAudioSettings(page);
  await dialog.getByLabel('Microphone', { exact: true }).selectOption({ label: 'Fake Audio Input 2' });
  await dialog.getByLabel('Speaker (call audio)').selectOption({ label: 'Fake Audio Output 1' });
  await dialog.getByLabel('Ring device (ringtone)').selectOption({ label: 'Fake Audio Output 2' });
  await dialog.getByLabel('Noise suppression').uncheck();
  // The call audio moves to the chosen speaker at once.
  await expect
    .poll(() => sinks(page), { timeout: 10_000 })
    .toContainEqual({ target: 'media', id: ids['Fake Audio Output 1'] });
  await dialog.getByRole('button', { name: 'Done' }).click();

  // Remembered for this agent in this browser: after a reload the choice is still there.
  await page.reload();
  await expect(page.getByTestId('softphone-status')).toHaveText('Registered', { timeout: 15_000 });
  dialog = await openAudioSettings(page);
  await expect(dialog.getByLabel('Microphone', { exact: true })).toHaveValue(ids['Fake Audio Input 2']!);
  await expect(dialog.getByLabel('Ring device (ringtone)')).toHaveValue(ids['Fake Audio Output 2']!);
  await expect(dialog.getByLabel('Noise suppression')).not.toBeChecked();
  await expect(dialog.getByLabel('Echo cancellation')).toBeChecked();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect
    .poll(() => sinks(page), { timeout: 10_000 })
    .toContainEqual({ target: 'media', id: ids['Fake Audio Output 1'] });

  const carrierPort = await freePort();
  const admin = await adminSession(playwright, baseURL);
  const route = await carrierRoute(admin, carrierPort, '5550141', {
    targetType: 'extension',
    targetId: AGENT_EXTENSION,
  });
  let carrier: SippProcess | null = null;
  try {
    carrier = await startCarrier(
      { did: '5550141', port: carrierPort, rtpEcho: true, timeoutMs: 60_000 },
      { caller: '+12025550141', displayName: 'Ring Device' },
    );
    // The ringtone goes to the ring device, not the call speaker.
    await expect(page.getByRole('alertdialog', { name: 'Incoming call' })).toBeVisible({ timeout: 10_000 });
    await expect
      .poll(() => sinks(page), { timeout: 10_000 })
      .toContainEqual({ target: 'context', id: ids['Fake Audio Output 2'] });
    await answer(page, '+12025550141');

    // The call sends the chosen microphone with the chosen processing.
    await expect
      .poll(() => sentMicrophone(page), { timeout: 10_000 })
      .toEqual({
        deviceId: ids['Fake Audio Input 2'],
        noiseSuppression: false,
      });

    // Another microphone and processing during the call: the sender's track is swapped, no reload.
    dialog = await openAudioSettings(page);
    await dialog.getByLabel('Microphone', { exact: true }).selectOption({ label: 'Fake Audio Input 1' });
    await dialog.getByLabel('Noise suppression').check();
    await dialog.getByLabel('Speaker (call audio)').selectOption({ label: 'Fake Audio Output 2' });
    await expect
      .poll(() => sentMicrophone(page), { timeout: 10_000 })
      .toEqual({
        deviceId: ids['Fake Audio Input 1'],
        noiseSuppression: true,
      });
    await expect
      .poll(() => sinks(page), { timeout: 10_000 })
      .toContainEqual({ target: 'media', id: ids['Fake Audio Output 2'] });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('region', { name: 'Call in progress' })).toContainText('In call');

    await hangUp(page);
    await expect(page.getByRole('region', { name: 'Call ended' })).toBeVisible({ timeout: 10_000 });
    expect(await carrier.exited, carrier.output).toBe(0);
  } finally {
    carrier?.kill();
    await route.remove();
    await admin.dispose();
    await page.context().close();
  }
});

test('a microphone unplugged during a call falls back to the default with a notice; plugged in again, it is offered', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const page = await carolDesk(browser);
  const ids = await deviceIds(page);
  const dialog = await openAudioSettings(page);
  await dialog.getByLabel('Microphone', { exact: true }).selectOption({ label: 'Fake Audio Input 2' });
  await dialog.getByRole('button', { name: 'Done' }).click();

  const changeDevices = (hidden: string[]) =>
    page.evaluate((h) => {
      const g = globalThis as unknown as BrowserGlobals;
      g.__hiddenDevices = h;
      g.navigator.mediaDevices.dispatchEvent(new g.Event('devicechange'));
    }, hidden);

  const carrierPort = await freePort();
  const admin = await adminSession(playwright, baseURL);
  const route = await carrierRoute(admin, carrierPort, '5550143', {
    targetType: 'extension',
    targetId: AGENT_EXTENSION,
  });
  let carrier: SippProcess | null = null;
  try {
    carrier = await startCarrier(
      { did: '5550143', port: carrierPort, rtpEcho: true, timeoutMs: 60_000 },
      { caller: '+12025550143', displayName: 'Unplugged' },
    );
    await answer(page, '+12025550143');
    await expect
      .poll(() => sentMicrophone(page).then((m) => m?.deviceId), { timeout: 10_000 })
      .toBe(ids['Fake Audio Input 2']);

    await changeDevices([ids['Fake Audio Input 2']!]);
    const notices = page.getByRole('region', { name: 'Audio device changes' });
    await expect(notices).toContainText(
      'Fake Audio Input 2 is no longer available: the microphone is now the system default.',
    );
    // The call goes on with the default microphone.
    await expect
      .poll(() => sentMicrophone(page).then((m) => m?.deviceId), { timeout: 10_000 })
      .toBe('default');
    await expect(page.getByRole('region', { name: 'Call in progress' })).toContainText('In call');
    await openAudioSettings(page);
    await expect(
      page.getByRole('dialog', { name: 'Audio settings' }).getByLabel('Microphone', { exact: true }),
    ).toHaveValue('');
    await page.getByRole('dialog', { name: 'Audio settings' }).getByRole('button', { name: 'Done' }).click();
    await notices.getByRole('button', { name: 'OK' }).click();

    // Plugged in again: offered, and "Use it" puts it back on the call.
    await changeDevices([]);
    await expect(notices).toContainText('Fake Audio Input 2 was plugged in.');
    await notices.getByRole('button', { name: 'Use it' }).click();
    await expect(notices).toBeHidden();
    await expect
      .poll(() => sentMicrophone(page).then((m) => m?.deviceId), { timeout: 10_000 })
      .toBe(ids['Fake Audio Input 2']);

    await hangUp(page);
    await expect(page.getByRole('region', { name: 'Call ended' })).toBeVisible({ timeout: 10_000 });
    expect(await carrier.exited, carrier.output).toBe(0);
  } finally {
    carrier?.kill();
    await route.remove();
    await admin.dispose();
    await page.context().close();
  }
});

test('before going idle the desk asks for the microphone check: it shows the level and plays a recording back', async ({
  browser,
}) => {
  const page = await carolDesk(browser);
  const reminder = page.getByRole('status').filter({ hasText: 'Check your microphone before you go idle.' });
  await reminder.getByRole('button', { name: 'Check microphone' }).click();
  const dialog = page.getByRole('dialog', { name: 'Audio settings' });
  await dialog.getByRole('button', { name: 'Test microphone' }).click();
  // Chromium's fake microphone beeps: the meter moves and the check says the microphone works. The
  // beep is short and comes once a second, so the meter is watched every animation frame in the page
  // (a poll once a second can keep landing between beeps).
  await expect(dialog.getByRole('meter', { name: 'Microphone level' })).toBeVisible();
  await page.waitForFunction(
    () => {
      const g = globalThis as unknown as {
        document: { querySelector(s: string): { getAttribute(name: string): string | null } | null };
      };
      return Number(g.document.querySelector('[data-testid="microphone-level"]')?.getAttribute('value')) > 10;
    },
    null,
    { timeout: 10_000, polling: 'raf' },
  );
  await expect(dialog.getByText('Your microphone is working.')).toBeVisible();
  await expect(dialog.getByTestId('microphone-problem')).toHaveCount(0);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await screenshot(page, 'softphone-audio-settings');

  await dialog.getByRole('button', { name: 'Record and play back' }).click();
  await expect(dialog.getByText('Recording… say a few words.')).toBeVisible();
  await expect(dialog.getByText('Playing back: do you hear yourself clearly?')).toBeVisible({
    timeout: 15_000,
  });
  await expect(dialog.getByText('Your microphone is working.')).toBeVisible({ timeout: 15_000 });
  // Checked for this session: the reminder is gone.
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(reminder).toHaveCount(0);
  await page.context().close();
});

test('the network check makes a 10-second test call to the switch and gives loss, jitter and round trip', async ({
  browser,
}) => {
  const page = await carolDesk(browser);
  await page.setViewportSize({ width: 1280, height: 1100 });
  const dialog = await openAudioSettings(page);
  await dialog.getByRole('button', { name: 'Test network' }).click();
  await expect(dialog.getByRole('progressbar', { name: 'Network check progress' })).toBeVisible();
  const result = dialog.getByTestId('network-check-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  // Audio flowed both ways over the test call: real figures, not "nothing arrived".
  await expect(result).toContainText(/Loss \d+\.\d %, jitter \d+ ms, round trip \d+ ms · MOS [1-4]\.\d/);
  await expect(result).not.toContainText('no audio', { ignoreCase: true });
  await screenshot(page, 'softphone-audio-settings-network-check');
  await page.context().close();
});

/** A WAV of digital silence, the fake microphone of a muted headset (made once per machine). */
function silentWav(): string {
  const file = path.join(os.tmpdir(), 'sb-e2e-silence-8k.wav');
  if (!existsSync(file)) {
    const part = `${file}.${process.pid}.wav`;
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', part, 'trim', '0', '5']);
    renameSync(part, file);
  }
  return file;
}

test('with a microphone that sends only zeros, the microphone check says it is silent', async ({
  playwright,
}) => {
  // A browser of its own: the fake microphone's file is a launch option.
  const launch = config.use?.launchOptions ?? {};
  const muted = await playwright.chromium.launch({
    ...launch,
    args: [...(launch.args ?? []), `--use-file-for-fake-audio-capture=${silentWav()}`],
  });
  try {
    const page = await carolDesk(muted);
    const dialog = await openAudioSettings(page);
    await dialog.getByRole('button', { name: 'Test microphone' }).click();
    await expect(dialog.getByTestId('microphone-problem')).toContainText(
      'Your microphone sends only silence',
      {
        timeout: 15_000,
      },
    );
    await expect(dialog.getByRole('meter', { name: 'Microphone level' })).toHaveAttribute('value', '0');
    await expect(dialog.getByText('Your microphone is working.')).toHaveCount(0);
  } finally {
    await muted.close();
  }
});

/**
 * The customer's side of the call as a socket of the test's own (the carrier's SDP points here): it
 * sends the switch A-law silence every 20 ms and leaves out `lossPercent` of the packets, spread out so
 * that any second of it has that loss, the way a poor mobile line does; sequence numbers go on, so the
 * switch counts them lost.
 */
async function lossyCustomerMedia(lossPercent: number) {
  const socket = createSocket('udp4');
  const port = await freePort();
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', () => resolve()));
  let peer: RemoteInfo | null = null;
  let seq = 0;
  let ts = 0;
  const ssrc = 0x5b0a4d10;
  const payload = Buffer.alloc(160, 0xd5);
  const timer = setInterval(() => {
    if (!peer) return;
    seq = (seq + 1) & 0xffff;
    ts = (ts + 160) >>> 0;
    if ((seq * lossPercent) % 100 < lossPercent) return;
    const packet = Buffer.alloc(12 + payload.length);
    packet[0] = 0x80;
    packet[1] = 8; // PCMA
    packet.writeUInt16BE(seq, 2);
    packet.writeUInt32BE(ts, 4);
    packet.writeUInt32BE(ssrc, 8);
    payload.copy(packet, 12);
    socket.send(packet, peer.port, peer.address);
  }, 20);
  // The switch's RTP toward the customer tells where its leg listens (symmetric RTP).
  socket.on('message', (_msg, rinfo) => {
    peer ??= rinfo;
  });
  return {
    port,
    close: () => {
      clearInterval(timer);
      socket.close();
    },
  };
}

test("a call whose customer line loses packets shows the customer's line as poor, with the browser's figures", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const page = await carolDesk(browser);
  const carrierPort = await freePort();
  const admin = await adminSession(playwright, baseURL);
  const route = await carrierRoute(admin, carrierPort, '5550142', {
    targetType: 'extension',
    targetId: AGENT_EXTENSION,
  });
  const media = await lossyCustomerMedia(30);
  let carrier: SippProcess | null = null;
  try {
    carrier = await startCarrier(
      { did: '5550142', port: carrierPort, timeoutMs: 60_000 },
      {
        caller: '+12025550142',
        displayName: 'Lossy Line',
        media: { address: '127.0.0.1', port: media.port },
      },
    );
    await answer(page, '+12025550142');
    const bar = page.getByRole('region', { name: 'Call in progress' });
    await expect(bar.getByTestId('quality-warning-other-line')).toHaveText("The customer's line is poor", {
      timeout: 20_000,
    });
    await expect(bar.getByTestId('call-quality')).toHaveText(/Quality (Poor|Fair) · MOS [1-4]\.\d/);

    // The figures behind it: the switch's loss on the customer leg, the browser's own round trip.
    await bar.getByTestId('call-quality').click();
    const figures = bar.getByRole('table', { name: 'Call quality figures' });
    const customerRow = figures.getByRole('row', { name: /Customer's line/ });
    await expect
      .poll(async () => Number.parseFloat((await customerRow.getByRole('cell').nth(0).textContent()) ?? ''))
      .toBeGreaterThan(15);
    await expect(
      figures
        .getByRole('row', { name: /Your connection/ })
        .getByRole('cell')
        .nth(2),
    ).toHaveText(/^\d+ ms$/);
    await screenshot(page, 'softphone-call-bar-quality');

    await hangUp(page);
    await expect(page.getByRole('region', { name: 'Call ended' })).toBeVisible({ timeout: 10_000 });
    expect(await carrier.exited, carrier.output).toBe(0);

    // The figures are kept with the call: its CDR's quality shows the customer's line as poor.
    const row = page.getByTestId('recent-cdr-row').filter({ hasText: '+12025550142' }).first();
    await expect(async () => {
      await page.goto('/cdr');
      await expect(row.getByRole('button', { name: 'Quality' })).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    await row.getByRole('button', { name: 'Quality' }).click();
    const detail = page.getByRole('dialog', { name: 'Call quality' });
    const customerLeg = detail.getByRole('row', { name: /Customer's line/ });
    await expect(customerLeg).toContainText('poor');
    expect(
      Number.parseFloat((await customerLeg.getByRole('cell').nth(1).textContent()) ?? ''),
    ).toBeGreaterThan(15);
    await expect(detail.getByRole('row', { name: /Agent/ })).toContainText(/good|fair|poor/);
    await screenshot(page, 'softphone-call-quality-detail');
  } finally {
    carrier?.kill();
    media.close();
    await route.remove();
    await admin.dispose();
    await page.context().close();
  }
});
