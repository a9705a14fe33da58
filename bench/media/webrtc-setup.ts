// CPU per WebRTC call set-up (ICE + DTLS + SRTP keys), both sides werift in this process:
// `npx tsx bench/media/webrtc-setup.ts [pairs]`. Set-ups run one after another so the figure is
// CPU per set-up, not contention; both sides' CPU is counted, then halved for "per side".
import { freeUdpRange } from '@switchboard/test-support';
import { WebRtcLeg } from '../../packages/media/src/index';

const pairs = Number(process.argv[2] ?? 40);

async function setUp(base: number): Promise<void> {
  const a = new WebRtcLeg({
    publicAddress: '127.0.0.1',
    portRange: [base, base + 4],
    inactivityTimeoutMs: 0,
  });
  const b = new WebRtcLeg({
    publicAddress: '127.0.0.1',
    portRange: [base + 5, base + 9],
    inactivityTimeoutMs: 0,
  });
  try {
    await a.acceptAnswer(await b.acceptOffer(await a.createOffer()));
    await Promise.all([a.connected(), b.connected()]);
  } finally {
    a.close();
    b.close();
  }
}

// Warm-up: JIT, certificate generation, module loading.
for (let i = 0; i < 3; i++) await setUp(await freeUdpRange(10));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < pairs; i++) await setUp(await freeUdpRange(10));
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMsPerPair = (cpu.user + cpu.system) / 1000 / pairs;
console.log(
  JSON.stringify({
    pairs,
    cpuMsPerSetUpPerSide: Math.round((cpuMsPerPair / 2) * 10) / 10,
    wallMsPerPair: Math.round((wallMs / pairs) * 10) / 10,
  }),
);
process.exit(0);
