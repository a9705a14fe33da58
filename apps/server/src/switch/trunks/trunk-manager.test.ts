import { createResponse, type SipRequest, type SipResponse, SipStack } from '@switchboard/sip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDatabase, type Db } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { createLogger } from '../../observability/logger';
import { TrunkManager } from './trunk-manager';

type Answer = (req: SipRequest) => SipResponse | null;

/** A stack that never touches the network: `send` asks the test's carrier (null: no answer). */
function fakeStack(carrier: { answer: Answer; sent: SipRequest[] }) {
  const stack = new SipStack({ host: '127.0.0.1', port: 0 });
  stack.send = (req: SipRequest) => {
    carrier.sent.push(req);
    const res = carrier.answer(req);
    return res ? Promise.resolve(res) : new Promise(() => {});
  };
  return stack;
}

const ok = (req: SipRequest, headers: Array<[string, string]> = []) => {
  const res = createResponse(req, 200);
  for (const [k, v] of headers) res.append(k, v);
  return res;
};

describe('TrunkManager', () => {
  let db: Db;
  let trunks: TrunkManager | undefined;
  const carrier = { answer: ((req) => ok(req)) as Answer, sent: [] as SipRequest[] };
  const flush = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    db = createDatabase({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(db);
    carrier.answer = (req) => ok(req);
    carrier.sent = [];
  });

  afterEach(async () => {
    const stopping = trunks?.stop();
    await vi.runAllTimersAsync();
    await stopping;
    trunks = undefined;
    await db.destroy();
    vi.useRealTimers();
  });

  async function start(row: Partial<Parameters<typeof insert>[0]> = {}, options = {}) {
    await insert({ name: 'carrier', uri: 'sip:192.0.2.10:5070', ...row });
    trunks = new TrunkManager({
      db,
      stack: fakeStack(carrier),
      logger: createLogger('silent'),
      optionsIntervalMs: 30_000,
      optionsTimeoutMs: 5_000,
      downAfter: 2,
      retryMinMs: 1_000,
      retryMaxMs: 8_000,
      reloadIntervalMs: 0,
      registerExpires: 600,
      resolve: async (host) => (host === 'carrier.test' ? ['198.51.100.1', '198.51.100.2'] : []),
      ...options,
    });
    const started = trunks.start();
    await vi.advanceTimersByTimeAsync(0);
    await started;
    await flush();
    return trunks;
  }

  async function insert(row: {
    name: string;
    uri: string;
    username?: string | null;
    password?: string | null;
    register?: number;
    transport?: 'udp' | 'tcp';
    enabled?: number;
    inbound_addresses?: string | null;
  }) {
    await db
      .insertInto('trunks')
      .values({ created_at: Date.now(), ...row })
      .execute();
  }

  it('registers, refreshes a minute before expiry, and keeps the Call-ID with a rising CSeq', async () => {
    carrier.answer = (req) =>
      req.method === 'REGISTER' ? ok(req, [['Contact', `${req.get('contact')};expires=300`]]) : ok(req);
    const t = await start({ username: 'acct', password: 'pw', register: 1 });
    const regs = () => carrier.sent.filter((r) => r.method === 'REGISTER');
    expect(regs()).toHaveLength(1);
    expect(regs()[0]!.get('expires')).toBe('600');
    expect(regs()[0]!.uri.toString()).toBe('sip:192.0.2.10:5070');
    expect(regs()[0]!.from!.uri.toString()).toBe('sip:acct@192.0.2.10');
    const [status] = t.statuses();
    expect(status!.state).toBe('up');
    expect(status!.registration).toMatchObject({ state: 'registered', expiresAt: Date.now() + 300_000 });
    // Granted 300 s: refreshed at 240 s.
    await vi.advanceTimersByTimeAsync(239_000);
    expect(regs()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(regs()).toHaveLength(2);
    expect(regs()[1]!.callId).toBe(regs()[0]!.callId);
    expect(regs()[1]!.cseq.seq).toBeGreaterThan(regs()[0]!.cseq.seq);
  });

  it('retries a refused registration with doubling backoff up to the maximum', async () => {
    carrier.answer = (req) => (req.method === 'REGISTER' ? createResponse(req, 403) : ok(req));
    const t = await start({ username: 'acct', password: 'pw', register: 1 });
    const times: number[] = [];
    const t0 = Date.now();
    const count = () => carrier.sent.filter((r) => r.method === 'REGISTER').length;
    let seen = count();
    for (let i = 0; i < 25_000; i += 500) {
      await vi.advanceTimersByTimeAsync(500);
      if (count() > seen) {
        times.push(Date.now() - t0);
        seen = count();
      }
    }
    // 1 s, then 2, 4, 8, 8… after the first failure.
    expect(times.slice(0, 5)).toEqual([1000, 3000, 7000, 15000, 23000]);
    expect(t.statuses()[0]).toMatchObject({
      state: 'unregistered',
      registration: { state: 'failed', lastStatus: 403 },
    });
    expect(t.pick()).toBeNull();
  });

  it('asks again with Min-Expires after 423', async () => {
    carrier.answer = (req) => {
      if (req.method !== 'REGISTER') return ok(req);
      if (Number(req.get('expires')) < 1200) {
        const res = createResponse(req, 423);
        res.set('min-expires', '1200');
        return res;
      }
      return ok(req);
    };
    const t = await start({ username: 'acct', password: 'pw', register: 1 });
    expect(carrier.sent.filter((r) => r.method === 'REGISTER').map((r) => r.get('expires'))).toEqual([
      '600',
      '1200',
    ]);
    expect(t.state(t.statuses()[0]!.id)).toBe('up');
  });

  it('marks the trunk down after missed keep-alives and up at the next answer', async () => {
    let answering = true;
    carrier.answer = (req) => (answering ? ok(req) : null);
    const t = await start();
    const id = t.statuses()[0]!.id;
    expect(t.state(id)).toBe('up');
    expect(t.statuses()[0]!.keepalive.up).toBe(true);
    answering = false;
    await vi.advanceTimersByTimeAsync(30_000 + 5_000);
    expect(t.state(id)).toBe('up'); // one miss is not enough (downAfter: 2)
    await vi.advanceTimersByTimeAsync(30_000 + 5_000);
    expect(t.state(id)).toBe('down');
    expect(t.pick()).toBeNull();
    answering = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(t.state(id)).toBe('up');
    expect(t.pick()?.trunkId).toBe(id);
  });

  it('counts any carrier response as alive, but not a locally generated 408/503', async () => {
    let local = false;
    carrier.answer = (req) => {
      if (!local) return createResponse(req, 405);
      const res = createResponse(req, 503);
      res.set('warning', '399 127.0.0.1 "generated locally"');
      return res;
    };
    const t = await start({}, { downAfter: 1 });
    expect(t.statuses()[0]!.keepalive).toMatchObject({ up: true, lastStatus: 405 });
    local = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(t.statuses()[0]!.state).toBe('down');
  });

  it('routes over TCP, resolves host names and matches inbound addresses; disabled trunks match nothing', async () => {
    const t = await start({
      uri: 'sip:carrier.test;transport=tcp',
      inbound_addresses: JSON.stringify(['203.0.113.0/28', '2001:db8::1']),
    });
    expect(t.pick()).toMatchObject({
      uri: 'sip:carrier.test:5060;transport=tcp',
      transport: 'TCP',
      port: 5060,
    });
    expect(carrier.sent[0]!.get('via')).toContain('SIP/2.0/TCP');
    expect(t.trunkForAddress('198.51.100.2', 5060)?.name).toBe('carrier');
    expect(t.trunkForAddress('::ffff:203.0.113.15', 1)?.name).toBe('carrier');
    expect(t.trunkForAddress('203.0.113.16', 1)).toBeNull();
    expect(t.trunkForAddress('2001:db8::1', 1)?.name).toBe('carrier');
    expect(t.trunkForAddress('not-an-ip', 1)).toBeNull();

    await db.updateTable('trunks').set({ enabled: 0 }).execute();
    await t.reload();
    expect(t.statuses()[0]!.state).toBe('disabled');
    expect(t.trunkForAddress('198.51.100.2', 5060)).toBeNull();
    expect(t.pick()).toBeNull();
  });

  it('unregisters (Expires: 0) when stopped or when the trunk is deleted', async () => {
    const t = await start({ username: 'acct', password: 'pw', register: 1 });
    await db.deleteFrom('trunks').execute();
    await t.reload();
    const regs = carrier.sent.filter((r) => r.method === 'REGISTER');
    expect(regs.map((r) => r.get('expires'))).toEqual(['600', '0']);
    expect(t.statuses()).toEqual([]);
  });
});
