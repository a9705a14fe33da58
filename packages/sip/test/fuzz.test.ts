import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz } from './fuzz';

const dir = join(import.meta.dirname, 'rfc4475');
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.dat'))
  .map((f) => readFileSync(join(dir, f)));

describe('parser fuzzing (bounded slice; bench/sip/fuzz.ts runs >= 100,000)', () => {
  it('no exception escapes the parser on 20,000 mutations of the RFC 4475 messages', () => {
    const seed = Number(process.env.SIP_FUZZ_SEED ?? 4475);
    const { parsed, rejected } = fuzz(corpus, 20_000, seed);
    expect(parsed + rejected).toBe(20_000);
    expect(parsed).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
