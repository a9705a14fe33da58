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

describe('stack fuzzing: mutated messages through a listening stack', () => {
  it('5,000 mutations reach dispatch without an exception escaping or the stack stopping', async () => {
    const { SipStack } = await import('../src/index');
    const { mutate, rng } = await import('./fuzz');
    const { createSocket } = await import('node:dgram');
    const stack = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'] });
    const sink = createSocket('udp4');
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    let requests = 0;
    stack.onRequest = (inc) => {
      requests++;
      if (inc.method === 'INVITE') inc.accept();
      else inc.reply(200);
    };
    const flow = {
      transport: 'UDP' as const,
      remoteAddress: '127.0.0.1',
      remotePort: sink.address().port,
      localAddress: '127.0.0.1',
      localPort: stack.port,
    };
    const rand = rng(3261);
    try {
      for (let i = 0; i < 5000; i++) {
        stack.transport.receive(mutate(corpus[i % corpus.length]!, rand), flow, true);
      }
      expect(requests).toBeGreaterThan(0);
      // Still serving: a clean OPTIONS is answered.
      const ok = await stack.send(
        stack.createRequest('OPTIONS', `sip:self@127.0.0.1:${stack.port}`, { from: 'sip:t@127.0.0.1' }),
      );
      expect(ok.status).toBe(200);
    } finally {
      sink.close();
      await stack.close();
    }
  });
});
