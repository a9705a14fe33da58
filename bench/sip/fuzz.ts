// Parser fuzzing: `npx tsx bench/sip/fuzz.ts [count] [seed]` (default 200,000 mutations).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzz } from '../../packages/sip/test/fuzz';
import { INVITE, OK } from './messages';

const count = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
const dir = join(import.meta.dirname, '../../packages/sip/test/rfc4475');
const corpus = [
  Buffer.from(INVITE),
  Buffer.from(OK),
  ...readdirSync(dir)
    .filter((f) => f.endsWith('.dat'))
    .map((f) => readFileSync(join(dir, f))),
];
const start = performance.now();
const { parsed, rejected } = fuzz(corpus, count, seed);
const ms = performance.now() - start;
console.log(
  `${count.toLocaleString('en-US')} mutations (seed ${seed}) in ${(ms / 1000).toFixed(1)} s: ` +
    `${parsed.toLocaleString('en-US')} parsed, ${rejected.toLocaleString('en-US')} rejected, 0 exceptions escaped`,
);
