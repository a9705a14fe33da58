// `npm run bench -- <name> [args…]`: runs one benchmark from bench/ through tsx; without a name, lists them.
// Figures and how each was measured are in bench/README.md and the README of each folder.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benches = {
  'cdr-search': ['bench/cdr/cdr-search.ts', 'Statistics → CDR search at 1M rows (--db sqlite|postgres)'],
  'sip-parse': ['bench/sip/parse.ts', 'SIP parse + serialize throughput'],
  'sip-fuzz': ['bench/sip/fuzz.ts', '100,000+ parser mutations, no exception may escape'],
  'sip-cps': ['bench/sip/cps.ts', 'sipp calls per second against a B2BUA-like app'],
  'sip-memory': ['bench/sip/memory.ts', 'memory per idle dialog and per TCP/WS connection'],
  'media-rtp': ['bench/media/rtp-rtp.ts', 'RtpLeg ↔ RtpLeg concurrent relayed calls'],
  'media-webrtc': ['bench/media/webrtc-rtp.ts', 'WebRtcLeg ↔ RtpLeg concurrent relayed calls'],
  'switch-cps': ['bench/switch/cps.ts', 'sipp carrier → DID → sipp extension through the switch, with media'],
  'script-calls': [
    'bench/scripts/script-calls.ts',
    'concurrent call scripts (originate → play → collect → bridge) against sipp: failures, CPU per call',
  ],
  flows: [
    'bench/flows/flows.ts',
    'concurrent calls through a published call flow (time condition → menu by RFC 4733 → queue / hang-up) against sipp',
  ],
  rating: [
    'bench/rating/rating.ts',
    'prepaid rating: quotes/s with 100,000 prefixes, reserve/settle pairs/s (--db sqlite|postgres)',
  ],
  'web-callback': [
    'bench/web-callback/web-callback.ts',
    'web callbacks through the portal API against sipp: lost calls, POST → leg A INVITE, A answer → leg B INVITE',
  ],
  callback: [
    'bench/callback/callback.ts',
    'trigger calls to a callback service → call backs after the delay, with sipp both sides: lost, delay lateness, CPU',
  ],
  acd: ['bench/acd/acd.ts', '1,000 calls waiting in 10 queues, 100 agents: delivery latency p99, CPU'],
  'desk-answer': [
    'bench/desk/answer-bar.ts',
    'INVITE at the switch → answer bar painted in Chromium (--calls 50, --background)',
  ],
  'desk-bundle': [
    'bench/desk/bundle-size.ts',
    "desk route's first-load JS (gzip) from the Vite build; sip.js/recharts lazy",
  ],
};

const [name, ...args] = process.argv.slice(2);
if (!name || !benches[name]) {
  if (name) console.error(`Unknown benchmark "${name}".`);
  console.log('Benchmarks (npm run bench -- <name> [args]):');
  for (const [key, [file, what]] of Object.entries(benches))
    console.log(`  ${key.padEnd(14)} ${what}  (${file})`);
  process.exit(name ? 2 : 0);
}
const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, benches[name][0]), ...args], {
  cwd: root,
  stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 1));
