// INVITE at the switch → answer bar painted in the agent's browser .
//   npx tsx bench/desk/answer-bar.ts [--calls 50] [--warmup 3] [--background] [--pcap] [--dist DIR]
//   npm run bench -- desk-answer [options]
// Starts the server (built SPA, SQLite in a temp dir, HTTP 8441 / SIP 8442), signs alice in in
// headless Chromium (Playwright library API), waits for her softphone to register, then places calls
// one at a time from a carrier SIP stack in this process (packages/sip) to a DID routed to alice's
// web extension 1001. Per call: t0 = the carrier sends the INVITE (UDP on loopback; --pcap adds the
// kernel's timestamps of that datagram and of the switch's INVITE on the WebSocket), then the page's
// marks (bench/desk/page-probe.ts), then CANCEL and wait for the bar to go. See bench/desk/README.md.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page, request } from '@playwright/test';
import { type OutgoingInvite, type SipResponse, SipStack } from '@switchboard/sip';
import { carrierOffer } from '../../apps/server/test/sipp/carrier-invite';
import { type CallMarks, pageProbe, REPORT_BINDING } from './page-probe';

// ---- options ------------------------------------------------------------------------------------
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const calls = Number(arg('calls', '50'));
const warmup = Number(arg('warmup', '3'));
const gapMs = Number(arg('gap', '400'));
const httpPort = Number(arg('http-port', '8441'));
const sipPort = Number(arg('sip-port', '8442'));
const rtpPorts = arg('rtp-ports', '41000-41999').split('-') as [string, string];
/** The agent's page is not the focused one: another page is brought to the front. */
const background = flag('background');
/** Seconds to leave the page in the background before the first call (Chrome throttles more after 5 min). */
const idleS = Number(arg('idle', '0'));
const pcap = flag('pcap');
/**
 * Launch Chromium with Playwright's own launcher instead (its default switches keep background tabs
 * unthrottled, and its focus emulation keeps every page "visible": no tab is ever in the background).
 */
const playwrightLaunch = flag('playwright-launch');
const distArg = arg('dist', '');
const jsonOut = arg('json', '');
const trace = arg('trace', ''); // a Chromium trace (JSON) of the timed calls, for chrome://tracing / Perfetto
const DID = '5550199';
const root = resolve(import.meta.dirname, '../..');
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (...a: unknown[]) => console.error('[desk-answer]', ...a);

// ---- cleanup of everything this bench starts, even on failure ----------------------------------
const work = mkdtempSync(join(tmpdir(), 'sb-desk-answer-'));
const children: ChildProcess[] = [];
let browser: Browser | null = null;
let carrier: SipStack | null = null;
let rtpSink: ReturnType<typeof createSocket> | null = null;
function killChildren() {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.on('exit', () => {
  killChildren();
  rmSync(work, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

async function cleanup() {
  await browser?.close().catch(() => {});
  browser = null;
  await carrier?.close().catch(() => {});
  rtpSink?.close();
  killChildren();
}

// ---- Chromium ------------------------------------------------------------------------------------
// Flags as in playwright.config.ts. By default the bench starts Chromium itself and attaches with
// connectOverCDP({ noDefaults: true }): Playwright then applies no focus emulation to the default
// context's pages, so a tab behind another one is really hidden (document.visibilityState, no
// animation frames, throttled timers), as in a user's Chrome. Playwright's own launch (--playwright-launch)
// keeps every page visible and adds switches that disable background throttling.
const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];
async function startChromium(): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  if (playwrightLaunch) {
    const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumFlags });
    const context = await b.newContext({ viewport: { width: 1280, height: 720 } });
    return { browser: b, context, page: await context.newPage() };
  }
  const child = spawn(
    '/usr/bin/chromium',
    [
      '--headless',
      ...chromiumFlags,
      '--window-size=1280,720',
      '--remote-debugging-port=0',
      `--user-data-dir=${join(work, 'chromium-profile')}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.push(child);
  const endpoint = await new Promise<string>((ok, fail) => {
    let err = '';
    const timer = setTimeout(() => fail(new Error(`Chromium did not start:\n${err}`)), 30_000);
    child.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    child.once('exit', (code) => fail(new Error(`Chromium exited (${code}):\n${err}`)));
  });
  const b = await chromium.connectOverCDP(endpoint, { noDefaults: true });
  const context = b.contexts()[0];
  if (!context) throw new Error('Chromium has no default context');
  return { browser: b, context, page: context.pages()[0] ?? (await context.newPage()) };
}

// ---- the SPA ------------------------------------------------------------------------------------
function buildSpa(): string {
  if (distArg) return resolve(distArg);
  const out = join(work, 'dist');
  log('building the SPA (vite build) into', out);
  const r = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '--outDir', out, '--emptyOutDir'], {
    cwd: join(root, 'apps/web'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error('vite build failed');
  return out;
}

// ---- the server ---------------------------------------------------------------------------------
let serverLog = '';
async function startServer(webDist: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(httpPort),
      SIP_HOST: '127.0.0.1',
      SIP_PORT: String(sipPort),
      DATABASE_URL: `sqlite:${join(work, 'switchboard.db')}`,
      RECORDINGS_DIR: join(work, 'recordings'),
      WEB_DIST_DIR: webDist,
      LOG_LEVEL: 'warn',
      RTP_PORT_MIN: rtpPorts[0],
      RTP_PORT_MAX: rtpPorts[1],
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(server);
  const keep = (d: Buffer) => {
    serverLog = (serverLog + d.toString()).slice(-8000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}):\n${serverLog}`);
    const ok = await fetch(`http://127.0.0.1:${httpPort}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return server;
    if (Date.now() > deadline) throw new Error(`server not healthy in 90 s:\n${serverLog}`);
    await sleep(250);
  }
}

// ---- optional packet capture (tcpdump on lo) ----------------------------------------------------
interface Capture {
  stop(): Promise<{ udpIn: Map<string, number>; wsOut: number[] }>;
}
async function startCapture(): Promise<Capture> {
  const tcpdump = ['/usr/bin/tcpdump', '/usr/sbin/tcpdump'].find((p) => existsSync(p));
  if (!tcpdump) throw new Error('--pcap needs tcpdump (apt-get install tcpdump)');
  const file = join(work, 'lo.pcap');
  const filter = `(udp and dst port ${sipPort}) or (tcp and src port ${httpPort})`;
  const child = spawn(tcpdump, ['-i', 'lo', '-nn', '-s', '0', '-U', '-w', file, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  await new Promise<void>((ok, fail) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) ok();
    });
    child.once('exit', () => fail(new Error(`tcpdump exited: ${err}`)));
  });
  await sleep(1000); // "listening" is printed a little before the capture is armed
  return {
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
      const text = spawnSync(tcpdump, ['-r', file, '-nn', '-tt', '-A'], {
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
      }).stdout;
      const udpIn = new Map<string, number>();
      const wsOut: number[] = [];
      // One packet: a header line "1700000000.123456 IP a.b > c.d: …", then its payload as ASCII.
      for (const packet of text.split(/\n(?=\d{9,}\.\d{6} IP )/)) {
        const head = /^(\d+\.\d+) IP \S+\.(\d+) > \S+\.(\d+): /.exec(packet);
        if (!head || !packet.includes('INVITE sip:')) continue;
        const t = Number(head[1]) * 1000;
        if (Number(head[3]) === sipPort) {
          const callId = /Call-ID: *(\S+)/i.exec(packet)?.[1];
          if (callId && !udpIn.has(callId)) udpIn.set(callId, t);
        } else if (Number(head[2]) === httpPort) wsOut.push(t);
      }
      return { udpIn, wsOut };
    },
  };
}

// ---- statistics ---------------------------------------------------------------------------------
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
function summary(values: number[]) {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] ?? Number.NaN };
}
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');

// ---- one call -----------------------------------------------------------------------------------
interface CallResult {
  n: number;
  callId: string;
  t0: number;
  marks: CallMarks;
  cancelStatus: number | null;
}

type Waiter = { kind: 'dom' | 'paint' | 'gone'; n: number; resolve: (m: CallMarks) => void };
const waiters: Waiter[] = [];
function onReport(kind: string, marks: CallMarks) {
  for (const w of [...waiters])
    if (w.kind === kind && w.n === marks.n) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(marks);
    }
}
function waitReport(kind: Waiter['kind'], n: number, timeoutMs: number): Promise<CallMarks | null> {
  return new Promise((res) => {
    const w: Waiter = {
      kind,
      n,
      resolve: (m) => {
        clearTimeout(timer);
        res(m);
      },
    };
    const timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(w), 1);
      res(null);
    }, timeoutMs);
    waiters.push(w);
  });
}

async function placeCall(page: Page, stack: SipStack, n: number, mediaPort: number): Promise<CallResult> {
  await page.evaluate(
    (i) => (globalThis as unknown as { __deskBench: { arm(n: number): void } }).__deskBench.arm(i),
    n,
  );
  const from = `"Carrier" <sip:+1202555${String(1000 + n).slice(-4)}@127.0.0.1:${stack.port}>`;
  const req = stack.createRequest('INVITE', `sip:${DID}@127.0.0.1:${sipPort}`, {
    from,
    to: `sip:${DID}@127.0.0.1:${sipPort}`,
    body: carrierOffer().replaceAll('[media_ip]', '127.0.0.1').replaceAll('[media_port]', String(mediaPort)),
    contentType: 'application/sdp',
  });
  const callId = req.callId;
  const painted = waitReport(background ? 'dom' : 'paint', n, 10_000);
  const t0 = now();
  const invite: OutgoingInvite = stack.invite(req);
  let marks = await painted;
  if (!marks) throw new Error(`call ${n}: no answer bar within 10 s\n${serverLog.slice(-2000)}`);
  if (background) {
    // In a hidden tab nothing is painted; give it a second, then read what happened.
    await sleep(1000);
    marks = (await page.evaluate(() =>
      (globalThis as unknown as { __deskBench: { current(): CallMarks } }).__deskBench.current(),
    )) as CallMarks;
  }
  const gone = waitReport('gone', n, 10_000);
  invite.cancel();
  const final: SipResponse = (await invite.done).response;
  const goneMarks = await gone;
  if (!goneMarks) throw new Error(`call ${n}: the answer bar did not go within 10 s of CANCEL`);
  return { n, callId, t0, marks: { ...marks, ...goneMarks }, cancelStatus: final.status };
}

// ---- main ---------------------------------------------------------------------------------------
async function main() {
  const load0 = loadavg();
  const webDist = buildSpa();
  log('server on', httpPort, '/', sipPort);
  await startServer(webDist);
  const base = `http://127.0.0.1:${httpPort}`;

  // the carrier, its (silent) media port, and a DID routed to alice's web extension 1001
  carrier = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'] });
  // the trunk's OPTIONS pings and anything else out of dialog: 200
  carrier.onRequest = (incoming) => {
    if (incoming.method !== 'ACK') incoming.reply(200);
  };
  rtpSink = createSocket('udp4');
  rtpSink.on('message', () => {});
  await new Promise<void>((r) => rtpSink!.bind(0, '127.0.0.1', () => r()));
  const mediaPort = rtpSink.address().port;
  const admin = await request.newContext({ baseURL: base });
  const login = await admin.post('/api/auth/login', { data: { username: 'admin', password: 'admin' } });
  if (!login.ok()) throw new Error(`admin login: ${login.status()}`);
  const trunk = await admin.post('/api/admin/trunks', {
    data: { name: 'bench-carrier', uri: `sip:127.0.0.1:${carrier.port}` },
  });
  if (trunk.status() !== 201) throw new Error(`trunk: ${trunk.status()} ${await trunk.text()}`);
  const route = await admin.post('/api/admin/inbound-routes', {
    data: { number: DID, targetType: 'extension', targetId: '1001' },
  });
  if (route.status() !== 201) throw new Error(`route: ${route.status()} ${await route.text()}`);
  await admin.dispose();

  const started = await startChromium();
  browser = started.browser;
  const { context, page } = started;
  await context.grantPermissions(['microphone', 'notifications'], { origin: base });
  await page.exposeFunction(REPORT_BINDING, (kind: string, marks: CallMarks) => onReport(kind, marks));
  await page.addInitScript({ content: pageProbe });
  await page.goto(`${base}/login`);
  await page.getByLabel('Agent name or agent ID').fill('alice');
  await page.getByLabel('Password').fill('alice');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('softphone-status').getByText('Registered').waitFor({ timeout: 30_000 });
  log('alice registered');
  // let the dashboard finish loading (lazy chunks, first queries) before calls
  await page.waitForLoadState('networkidle').catch(() => {});

  let other: Page | null = null;
  if (background) {
    other = await context.newPage();
    await other.goto(`${base}/cdr`);
    await other.bringToFront();
    if (idleS > 0) {
      log(`agent page in the background for ${idleS} s before the calls`);
      await sleep(idleS * 1000);
    }
  }
  const visibility = await page.evaluate(
    () => (globalThis as unknown as { document: { visibilityState: string } }).document.visibilityState,
  );
  log('agent page visibility:', visibility);

  const warm: CallResult[] = [];
  for (let i = 0; i < warmup; i++) {
    warm.push(await placeCall(page, carrier, -1 - i, mediaPort));
    await sleep(gapMs);
  }
  const capture = pcap ? await startCapture() : null;
  if (trace)
    await browser.startTracing(page, {
      path: trace,
      screenshots: false,
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.frame',
        'blink.user_timing',
        'toplevel',
        'v8.execute',
        'benchmark',
        'cc',
        'disabled-by-default-v8.cpu_profiler',
      ],
    });
  const results: CallResult[] = [];
  for (let n = 0; n < calls; n++) {
    results.push(await placeCall(page, carrier, n, mediaPort));
    await sleep(gapMs + Math.random() * 100);
  }
  if (trace) await browser.stopTracing();
  const captured = capture ? await capture.stop() : null;
  const load1 = loadavg();

  // ---- report ----
  // WS INVITEs in the capture, in order: the first at or after each call's t0.
  const wsOutFor = (t0: number) => captured?.wsOut.find((t) => t >= t0 - 1) ?? Number.NaN;
  const rows = results.map((r) => {
    const m = r.marks;
    const udpIn = captured?.udpIn.get(r.callId) ?? Number.NaN;
    const wsOut = wsOutFor(r.t0);
    return {
      total: (m.paint ?? Number.NaN) - r.t0,
      dom: (m.dom ?? Number.NaN) - r.t0,
      carrierToSwitch: udpIn - r.t0,
      switchInOut: wsOut - udpIn,
      wsToPage: (m.ws ?? Number.NaN) - wsOut,
      t0ToWs: (m.ws ?? Number.NaN) - r.t0,
      sipjs: (m.trying ?? Number.NaN) - (m.ws ?? Number.NaN),
      react: (m.dom ?? Number.NaN) - (m.trying ?? Number.NaN),
      frame: (m.raf ?? Number.NaN) - (m.dom ?? Number.NaN),
      paint: (m.paint ?? Number.NaN) - (m.raf ?? Number.NaN),
      rendered: (m.rendered ?? Number.NaN) - (m.raf ?? Number.NaN),
      toRendered: (m.rendered ?? Number.NaN) - r.t0,
      notify: (m.notify ?? Number.NaN) - r.t0,
      ring: (m.ring ?? Number.NaN) - r.t0,
      ringRunning: (m.ringRunning ?? Number.NaN) - r.t0,
      visibility: m.visibility ?? '?',
      painted: m.paint !== undefined,
    };
  });
  const col = (k: keyof (typeof rows)[number]) => summary(rows.map((r) => r[k] as number));
  const lines: Array<[string, ReturnType<typeof summary>]> = [
    ['**INVITE sent → answer bar painted (double rAF)**', col('total')],
    ['INVITE sent → bar in the DOM', col('dom')],
    ...(captured
      ? ([
          ['carrier send → datagram on lo (pcap)', col('carrierToSwitch')],
          ['switch: INVITE in (pcap) → INVITE out on the WS (pcap)', col('switchInOut')],
          ['WS segment on lo (pcap) → page `message` event', col('wsToPage')],
        ] as Array<[string, ReturnType<typeof summary>]>)
      : []),
    ['INVITE sent → page WS `message` event', col('t0ToWs')],
    ['WS message → sip.js sends 100 Trying', col('sipjs')],
    ['100 Trying → bar in the DOM (softphone, React render + commit, effects)', col('react')],
    ['bar in the DOM → next animation frame', col('frame')],
    ['that frame → its rendering done (rAF → posted task)', col('rendered')],
    ['that frame → the following one (bar painted)', col('paint')],
    ['INVITE sent → frame with the bar rendered (rAF + posted task)', col('toRendered')],
    ['INVITE sent → desktop notification created', col('notify')],
    ['INVITE sent → ringtone asks for sound (new AudioContext / resume)', col('ring')],
    ['INVITE sent → ringtone AudioContext running (audible)', col('ringRunning')],
  ];
  const out: string[] = [];
  out.push(
    `answer bar: ${results.length} calls (${warmup} warm-up not counted), ${playwrightLaunch ? "headless Chromium (Playwright's launch)" : 'headless Chromium (own launch, attached over CDP)'}, ${background ? `agent page in the BACKGROUND (another tab in front; visibility: ${visibility}${idleS ? `, ${idleS} s in the background first` : ''})` : 'agent page in front'}`,
  );
  out.push(
    `load average at start ${load0.map((l) => l.toFixed(2)).join(' ')}, at end ${load1.map((l) => l.toFixed(2)).join(' ')} (2 vCPUs)`,
  );
  if (warm.length) {
    out.push(
      `warm-up calls (the first after page load first): ${warm.map((w) => `${ms((w.marks.paint ?? w.marks.dom ?? Number.NaN) - w.t0)} ms`).join(', ')} to the ${background ? 'bar in the DOM' : 'bar painted'}`,
    );
    const f = warm[0]!;
    const at = (v: number | undefined) => ms((v ?? Number.NaN) - f.t0);
    out.push(
      `  first call after page load, ms after the INVITE was sent: WS message ${at(f.marks.ws)}, 100 Trying ${at(f.marks.trying)}, ring ${at(f.marks.ring)}, bar in the DOM ${at(f.marks.dom)}, next frame ${at(f.marks.raf)}, painted ${at(f.marks.paint)}`,
    );
  }
  out.push('');
  out.push('| segment | n | p50 ms | p95 ms | max ms |');
  out.push('| --- | --: | --: | --: | --: |');
  for (const [label, s] of lines)
    if (s.n > 0) out.push(`| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} |`);
  if (background) {
    const painted = rows.filter((r) => r.painted).length;
    out.push('');
    out.push(
      `painted while in the background: ${painted}/${rows.length}; visibility when the bar was added: ${[...new Set(rows.map((r) => r.visibility))].join(', ')}`,
    );
  }
  const cancels = results.filter((r) => r.cancelStatus !== 487).length;
  if (cancels) out.push(`(${cancels} calls did not end with 487 after CANCEL)`);
  console.log(out.join('\n'));
  if (jsonOut)
    writeFileSync(
      jsonOut,
      JSON.stringify(
        {
          load0,
          load1,
          background,
          visibility,
          warm,
          results,
          rows,
          captured: captured ? { udpIn: [...captured.udpIn], wsOut: captured.wsOut } : null,
        },
        null,
        1,
      ),
    );
  await other?.close();
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
