import { EventEmitter } from 'node:events';
import {
  addDigestAuthorization,
  type Connection,
  createResponse,
  digestResponse,
  type Flow,
  type IncomingRequest,
  parseMessage,
  type SipRequest,
  type SipResponse,
} from '@switchboard/sip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDatabase, type Db } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { WebSipCredentials } from '../../softphone/web-sip-credentials';
import type { RegistrationChange } from '../contracts';
import { Registrar } from './registrar';

const udp = (port = 5070): Flow => ({
  transport: 'UDP',
  remoteAddress: '127.0.0.1',
  remotePort: port,
  localAddress: '127.0.0.1',
  localPort: 5060,
});

/** A TCP flow whose connection can be closed by the test (the registrar watches `socket`). */
function tcpFlow(port: number) {
  const socket = new EventEmitter();
  const connection = {
    id: `tcp-test-${port}`,
    transport: 'TCP',
    remoteAddress: '127.0.0.1',
    remotePort: port,
    closed: false,
    socket,
    send() {},
    close() {
      connection.closed = true;
      socket.emit('close');
    },
  };
  const flow: Flow = {
    transport: 'TCP',
    remoteAddress: '127.0.0.1',
    remotePort: port,
    localAddress: '127.0.0.1',
    localPort: 5060,
    connection: connection as unknown as Connection,
  };
  return { flow, close: () => connection.close() };
}

/** What the registrar needs of an IncomingRequest, recording the responses. */
function incoming(request: SipRequest, flow: Flow) {
  const replies: SipResponse[] = [];
  const inc = {
    request,
    flow,
    method: request.method,
    get answered() {
      return replies.length > 0;
    },
    reply(status: number, options: { reason?: string; headers?: Array<[string, string]> } = {}) {
      const res = createResponse(request, status, options.reason);
      for (const [k, v] of options.headers ?? []) res.append(k, v);
      replies.push(res);
      return res;
    },
    send(res: SipResponse) {
      replies.push(res);
    },
  };
  return { inc: inc as unknown as IncomingRequest, replies };
}

interface RegisterInput {
  ext?: string;
  /** The To user (AOR), when it differs from the authenticating extension. */
  aor?: string;
  secret?: string;
  contacts?: string[];
  expires?: number;
  callId?: string;
  cseq?: number;
  flow?: Flow;
}

function registerRequest(i: RegisterInput, cseq: number): SipRequest {
  const ext = i.ext ?? '1004';
  const aor = i.aor ?? ext;
  const lines = [
    'REGISTER sip:127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK${Math.random().toString(36).slice(2)}`,
    `From: <sip:${aor}@127.0.0.1>;tag=abc`,
    `To: <sip:${aor}@127.0.0.1>`,
    `Call-ID: ${i.callId ?? 'call-1'}`,
    `CSeq: ${cseq} REGISTER`,
    'Max-Forwards: 70',
    'User-Agent: unit phone',
    ...(i.contacts ?? ['<sip:1004@127.0.0.1:5070>']).map((c) => `Contact: ${c}`),
    ...(i.expires !== undefined ? [`Expires: ${i.expires}`] : []),
    'Content-Length: 0',
    '',
    '',
  ];
  const parsed = parseMessage(Buffer.from(lines.join('\r\n')));
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return parsed.message as SipRequest;
}

describe('Registrar', () => {
  let db: Db;
  let registrar: Registrar;
  let changes: RegistrationChange[];

  /** REGISTER, answer the 401 with digest (MD5, the first challenge on UDP), return the final response. */
  async function register(i: RegisterInput = {}): Promise<SipResponse> {
    const cseq = i.cseq ?? 1;
    const first = incoming(registerRequest(i, cseq), i.flow ?? udp());
    await registrar.handleRegister(first.inc);
    const challenge = first.replies[0]!;
    if (challenge.status !== 401) return challenge;
    const again = registerRequest(i, cseq + 1);
    addDigestAuthorization(again, challenge, {
      username: i.ext ?? '1004',
      password: i.secret ?? 'dave-secret',
    });
    const second = incoming(again, i.flow ?? udp());
    await registrar.handleRegister(second.inc);
    return second.replies[0]!;
  }

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    db = createDatabase({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(db);
    const now = Date.now();
    await db
      .insertInto('extensions')
      .values([
        { number: '1004', type: 'sip', sip_secret: 'dave-secret', user_id: null, created_at: now },
        { number: '1005', type: 'sip', sip_secret: 'erin-secret', user_id: null, created_at: now },
        { number: '1006', type: 'web', sip_secret: null, user_id: null, created_at: now },
      ])
      .execute();
    registrar = new Registrar({
      db,
      credentials: new WebSipCredentials(db, 60_000),
      realm: 'switch.test',
      minExpires: 60,
      maxExpires: 3600,
      nonceTtlMs: 300_000,
      sessionCheckMs: 0,
    });
    changes = [];
    registrar.onChange((c) => changes.push(c));
  });

  afterEach(async () => {
    registrar.close();
    await db.destroy();
    vi.useRealTimers();
  });

  it('challenges, then binds the contact and echoes it with its expiry', async () => {
    const res = await register({ expires: 120 });
    expect(res.status).toBe(200);
    expect(res.getAll('contact')).toEqual(['<sip:1004@127.0.0.1:5070>;expires=120']);
    expect(changes).toEqual([{ extension: '1004', registered: true, contacts: 1 }]);
    expect(registrar.lookup('1004')[0]).toMatchObject({
      extension: '1004',
      uri: 'sip:1004@127.0.0.1:5070',
      transport: 'UDP',
      userAgent: 'unit phone',
      userId: null,
      expiresAt: Date.now() + 120_000,
    });
  });

  it('offers MD5 first on UDP/TCP and SHA-256 first over WebSocket; both verify', async () => {
    const first = incoming(registerRequest({}, 1), udp());
    await registrar.handleRegister(first.inc);
    const algs = (r: SipResponse) =>
      r.getAll('www-authenticate').map((h) => /algorithm=([\w-]+)/.exec(h)?.[1]);
    expect(algs(first.replies[0]!)).toEqual(['MD5', 'SHA-256']);
    const ws = incoming(registerRequest({}, 1), { ...udp(), transport: 'WS' });
    await registrar.handleRegister(ws.inc);
    expect(algs(ws.replies[0]!)).toEqual(['SHA-256', 'MD5']);

    // An RFC 8760 client that prefers SHA-256 answers that challenge.
    const nonce = /nonce="([^"]+)"/.exec(first.replies[0]!.get('www-authenticate')!)![1]!;
    const req = registerRequest({}, 2);
    const params = {
      algorithm: 'SHA-256' as const,
      username: '1004',
      realm: 'switch.test',
      password: 'dave-secret',
      method: 'REGISTER',
      uri: 'sip:127.0.0.1',
      nonce,
      qop: 'auth',
      nc: '00000001',
      cnonce: 'c0ffee',
    };
    req.append(
      'authorization',
      `Digest username="1004", realm="switch.test", nonce="${nonce}", uri="sip:127.0.0.1", ` +
        `response="${digestResponse(params)}", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="c0ffee"`,
    );
    const ok = incoming(req, udp());
    await registrar.handleRegister(ok.inc);
    expect(ok.replies[0]!.status).toBe(200);
    // The same nonce-count again is a replay: challenged afresh, nothing changes.
    const replay = incoming(req, udp());
    await registrar.handleRegister(replay.inc);
    expect(replay.replies[0]!.status).toBe(401);
  });

  it('refuses a wrong secret, an unknown user and another extension with 403, changing nothing', async () => {
    expect((await register({ secret: 'nope' })).status).toBe(403);
    expect((await register({ ext: '9999' })).status).toBe(403);
    // A web extension has no SIP secret: it registers only with a session credential.
    expect((await register({ ext: '1006', secret: '' })).status).toBe(403);
    const other = await register({ aor: '1005', ext: '1004', contacts: ['<sip:1005@127.0.0.1:5070>'] });
    expect(other.status).toBe(403);
    expect(registrar.isRegistered('1004')).toBe(false);
    expect(registrar.isRegistered('1005')).toBe(false);
    expect(changes).toEqual([]);
  });

  it('answers a stale nonce with a new challenge marked stale=true', async () => {
    const first = incoming(registerRequest({}, 1), udp());
    await registrar.handleRegister(first.inc);
    vi.advanceTimersByTime(301_000);
    const again = registerRequest({}, 2);
    addDigestAuthorization(again, first.replies[0]!, { username: '1004', password: 'dave-secret' });
    const second = incoming(again, udp());
    await registrar.handleRegister(second.inc);
    expect(second.replies[0]!.status).toBe(401);
    expect(second.replies[0]!.get('www-authenticate')).toContain('stale=true');
    expect(registrar.isRegistered('1004')).toBe(false);
  });

  it('423 for too brief an interval, caps a too long one', async () => {
    const brief = await register({ expires: 30 });
    expect(brief.status).toBe(423);
    expect(brief.get('min-expires')).toBe('60');
    expect(registrar.isRegistered('1004')).toBe(false);
    const long = await register({ expires: 100_000, callId: 'call-2' });
    expect(long.status).toBe(200);
    expect(long.get('contact')).toBe('<sip:1004@127.0.0.1:5070>;expires=3600');
  });

  it('expires a binding on time unless refreshed; a refresh is not a change', async () => {
    await register({ expires: 60 });
    vi.advanceTimersByTime(50_000);
    expect((await register({ expires: 60, cseq: 3 })).status).toBe(200);
    expect(changes).toHaveLength(1);
    vi.advanceTimersByTime(59_000);
    expect(registrar.isRegistered('1004')).toBe(true);
    vi.advanceTimersByTime(2_000);
    expect(registrar.isRegistered('1004')).toBe(false);
    expect(changes.at(-1)).toEqual({ extension: '1004', registered: false, contacts: 0 });
  });

  it('keeps several contacts, most recent first; Expires: 0 removes one, Contact: * all', async () => {
    await register({ contacts: ['<sip:1004@10.0.0.1:5060>'], expires: 300, callId: 'a' });
    vi.advanceTimersByTime(1000);
    await register({ contacts: ['<sip:1004@10.0.0.2:5060>;expires=600'], callId: 'b' });
    expect(registrar.lookup('1004').map((c) => c.uri)).toEqual([
      'sip:1004@10.0.0.2:5060',
      'sip:1004@10.0.0.1:5060',
    ]);
    expect(changes.at(-1)).toEqual({ extension: '1004', registered: true, contacts: 2 });

    await register({ contacts: ['<sip:1004@10.0.0.1:5060>'], expires: 0, callId: 'a', cseq: 5 });
    expect(registrar.lookup('1004').map((c) => c.uri)).toEqual(['sip:1004@10.0.0.2:5060']);

    const bad = await register({ contacts: ['*'], expires: 60, callId: 'c' });
    expect(bad.status).toBe(400);
    const all = await register({ contacts: ['*'], expires: 0, callId: 'c' });
    expect(all.status).toBe(200);
    expect(all.getAll('contact')).toEqual([]);
    expect(registrar.isRegistered('1004')).toBe(false);
  });

  it('refuses an out-of-order CSeq on the same Call-ID (RFC 3261 §10.3 step 7)', async () => {
    await register({ cseq: 10, expires: 300 });
    expect((await register({ cseq: 3, expires: 300 })).status).toBe(500);
    expect(registrar.lookup('1004')).toHaveLength(1);
  });

  it('replaces the binding of the same +sip.instance/reg-id (RFC 5626), even from a new flow', async () => {
    const instance = '+sip.instance="<urn:uuid:00000000-0000-4000-8000-000000000001>";reg-id=1';
    const a = tcpFlow(40001);
    await register({
      contacts: [`<sip:x1@a.invalid;transport=tcp>;${instance}`],
      callId: 'x1',
      flow: a.flow,
    });
    const b = tcpFlow(40002);
    await register({
      contacts: [`<sip:x2@b.invalid;transport=tcp>;${instance}`],
      callId: 'x2',
      flow: b.flow,
    });
    const [only, ...rest] = registrar.lookup('1004');
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      uri: 'sip:x2@b.invalid;transport=tcp',
      regId: 1,
      instanceId: '<urn:uuid:00000000-0000-4000-8000-000000000001>',
    });
    expect(only!.flow.remotePort).toBe(40002);
    // The old flow closing does not touch the new binding; the new one closing removes it.
    a.close();
    expect(registrar.isRegistered('1004')).toBe(true);
    b.close();
    expect(registrar.isRegistered('1004')).toBe(false);
    expect(changes.at(-1)).toEqual({ extension: '1004', registered: false, contacts: 0 });
  });

  it('drops a desk phone binding once its extension is no longer a SIP extension', async () => {
    await register({ expires: 300 });
    await register({ ext: '1005', secret: 'erin-secret', contacts: ['<sip:1005@127.0.0.1:5071>'] });
    await registrar.dropEndedSessions();
    expect(registrar.isRegistered('1004')).toBe(true);
    await db
      .updateTable('extensions')
      .set({ type: 'web', sip_secret: null })
      .where('number', '=', '1004')
      .execute();
    await registrar.dropEndedSessions();
    expect(registrar.isRegistered('1004')).toBe(false);
    expect(registrar.isRegistered('1005')).toBe(true);
  });

  it('answers 500 and changes nothing when the database fails', async () => {
    const first = incoming(registerRequest({}, 1), udp());
    await registrar.handleRegister(first.inc);
    await db.destroy();
    const again = registerRequest({}, 2);
    addDigestAuthorization(again, first.replies[0]!, { username: '1004', password: 'dave-secret' });
    const second = incoming(again, udp());
    await registrar.handleRegister(second.inc);
    expect(second.replies[0]!.status).toBe(500);
    db = createDatabase({ kind: 'sqlite', file: ':memory:' });
  });
});
