import { expect, it } from 'vitest';
import { ledgerTotals } from '../src/rating/ledger';
import { type ApiClient, describeEachDatabase, type TestSystem } from './test-system';

/** Portal and admin APIs of prepaid accounts. */
describeEachDatabase('prepaid accounts', (sys) => {
  let seq = 0;
  const unique = () => `1555${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(4, '0')}`;

  async function portal(phoneNumber = '18005550100', password = 'demo'): Promise<ApiClient> {
    const c = sys().client();
    const res = await c.post('/api/portal/auth/login', { phoneNumber, password });
    expect(res.status).toBe(200);
    return c;
  }
  async function admin(): Promise<ApiClient> {
    const c = sys().client();
    await c.login('admin');
    return c;
  }
  async function auditCount(action: string) {
    const r = await sys()
      .db.selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', action)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async function createSubscriber(c: ApiClient, extra: Record<string, unknown> = {}) {
    const accountNumber = unique();
    const res = await c.post('/api/admin/subscribers', {
      accountNumber,
      displayName: `Test ${accountNumber}`,
      password: 'secret-pw',
      pin: '4321',
      currency: 'USD',
      ...extra,
    });
    expect(res.status, res.text).toBe(201);
    return { id: res.body.id as number, accountNumber };
  }
  async function assertBalanceIsLedger(s: TestSystem, id: number) {
    const row = await s.db
      .selectFrom('subscribers')
      .select(['balance_minor', 'reserved_minor'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const totals = await ledgerTotals(s.db, id);
    expect(Number(row.balance_minor)).toBe(totals.balanceMinor);
    expect(Number(row.reserved_minor)).toBe(totals.reservedMinor);
  }

  it('shows the demo subscriber their balance, currency and ledger; the balance is what the ledger says', async () => {
    const c = await portal();
    const me = await c.get('/api/portal/me');
    expect(me.status).toBe(200);
    expect(me.body.subscriber).toMatchObject({
      accountNumber: '18005550100',
      phoneNumber: '18005550100',
      balance: '20.00',
      available: '20.00',
      reserved: '0.00',
      currency: 'USD',
      status: 'active',
      pinSet: true,
      plan: { name: 'Standard' },
    });
    const ledger = await c.get('/api/portal/ledger');
    expect(ledger.status).toBe(200);
    expect(ledger.body.entries).toHaveLength(1);
    expect(ledger.body.entries[0]).toMatchObject({ kind: 'top_up', amount: '20.00', balanceAfter: '20.00' });
    await assertBalanceIsLedger(sys(), me.body.subscriber.id);
    expect((await sys().client().get('/api/portal/me')).status).toBe(401);
    expect((await sys().client().get('/api/portal/ledger')).status).toBe(401);
    // a desk session is no portal session
    expect((await (await admin()).get('/api/portal/me')).status).toBe(401);
  });

  it('manages authorized caller IDs in E.164, unique across subscribers; refusals change nothing', async () => {
    const a = await admin();
    const other = await createSubscriber(a);
    const c = await portal();
    const list = await c.get('/api/portal/caller-ids');
    expect(list.body.callerIds.map((x: { number: string }) => x.number)).toEqual(['+14155550132']);

    const added = await c.post('/api/portal/caller-ids', { number: '(415) 555-0177' });
    expect(added.status).toBe(201);
    expect(added.body.callerId.number).toBe('+14155550177');
    const demoId = (await c.get('/api/portal/me')).body.subscriber.id;
    expect(await sys().deps.subscriberAccounts.findByCallerId('+1 415 555 0177')).toBe(demoId);

    const again = await c.post('/api/portal/caller-ids', { number: '+14155550177' });
    expect(again.status).toBe(409);

    // Someone else's number: 409 without saying whose; the other account's list is unchanged.
    const o = await portal(other.accountNumber, 'secret-pw');
    const theirs = await o.post('/api/portal/caller-ids', { number: '+14155550132' });
    expect(theirs.status).toBe(409);
    expect(theirs.body.error.message).toMatch(/another account/);
    expect((await o.get('/api/portal/caller-ids')).body.callerIds).toEqual([]);
    const byAdmin = await a.post(`/api/admin/subscribers/${other.id}/caller-ids`, { number: '+14155550177' });
    expect(byAdmin.status).toBe(409);

    const bad = await c.post('/api/portal/caller-ids', { number: 'call me' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('number');

    expect((await c.delete(`/api/portal/caller-ids/${added.body.callerId.id}`)).status).toBe(204);
    expect((await c.delete(`/api/portal/caller-ids/${added.body.callerId.id}`)).status).toBe(404);
    // one subscriber cannot remove another's caller ID
    const mine = (await c.get('/api/portal/caller-ids')).body.callerIds[0];
    expect((await o.delete(`/api/portal/caller-ids/${mine.id}`)).status).toBe(404);
    expect((await c.get('/api/portal/caller-ids')).body.callerIds).toHaveLength(1);

    // by number, as the admin and the IVR do
    const viaAdmin = await a.post(`/api/admin/subscribers/${other.id}/caller-ids`, {
      number: '+442079460958',
    });
    expect(viaAdmin.status).toBe(201);
    expect((await o.delete('/api/portal/caller-ids?number=%2B442079460958')).status).toBe(204);
    expect(await auditCount('subscriber.caller_id_add')).toBeGreaterThanOrEqual(2);
  });

  it('changes the PIN (digits only, 4–10, with the current password) and the password', async () => {
    const a = await admin();
    const s = await createSubscriber(a);
    const c = await portal(s.accountNumber, 'secret-pw');
    const hashBefore = await sys()
      .db.selectFrom('subscribers')
      .select('pin_hash')
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    for (const pin of ['12a4', '123', '12345678901', ' 1234', '']) {
      const res = await c.put('/api/portal/pin', { pin, currentPassword: 'secret-pw' });
      expect(res.status, pin).toBe(400);
      expect(res.body.error.details.fields[0].field).toBe('pin');
    }
    const wrong = await c.put('/api/portal/pin', { pin: '9876', currentPassword: 'nope' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.fields[0].field).toBe('currentPassword');
    const unchanged = await sys()
      .db.selectFrom('subscribers')
      .select('pin_hash')
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(unchanged.pin_hash).toBe(hashBefore.pin_hash);
    expect(await sys().deps.subscriberAccounts.verifyPin(s.id, '4321')).toBe(true);

    expect((await c.put('/api/portal/pin', { pin: '9876', currentPassword: 'secret-pw' })).status).toBe(204);
    expect(await sys().deps.subscriberAccounts.verifyPin(s.id, '9876')).toBe(true);
    expect(await sys().deps.subscriberAccounts.verifyPin(s.id, '4321')).toBe(false);
    const row = await sys()
      .db.selectFrom('subscribers')
      .select('pin_hash')
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row.pin_hash).toMatch(/^scrypt\$/);

    expect(
      (await c.put('/api/portal/password', { currentPassword: 'bad', newPassword: 'new-secret' })).status,
    ).toBe(400);
    expect(
      (await c.put('/api/portal/password', { currentPassword: 'secret-pw', newPassword: 'new-secret' }))
        .status,
    ).toBe(204);
    await portal(s.accountNumber, 'new-secret');
    expect(await auditCount('subscriber.pin_change')).toBeGreaterThanOrEqual(1);
  });

  it('lets an administrator create, suspend, top up and adjust, with every bad input refused and nothing changed', async () => {
    const a = await admin();
    const created = await createSubscriber(a, {
      limits: { maxConcurrentCalls: 2, allowedCountries: ['us', 'GB'] },
    });
    const got = await a.get(`/api/admin/subscribers/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.body.subscriber).toMatchObject({
      balance: '0.00',
      limits: { maxConcurrentCalls: 2, maxCallsPerDay: null, allowedCountries: ['GB', 'US'] },
      callerIds: [],
    });

    const badCreates: [Record<string, unknown>, string][] = [
      [{ currency: 'XYZ' }, 'currency'],
      [{ pin: '12ab' }, 'pin'],
      [{ accountNumber: 'abc' }, 'accountNumber'],
      [{ limits: { allowedCountries: ['ZZ'] } }, 'limits.allowedCountries.0'],
      [{ limits: { maxConcurrentCalls: -1 } }, 'limits.maxConcurrentCalls'],
      [{ currency: 'EUR' }, 'currency'], // no plan has EUR rates
    ];
    const count = async () =>
      Number(
        (
          await sys()
            .db.selectFrom('subscribers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (const [extra, field] of badCreates) {
      const res = await a.post('/api/admin/subscribers', {
        accountNumber: unique(),
        displayName: 'Bad',
        password: 'secret-pw',
        ...extra,
      });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.error.details.fields[0].field, JSON.stringify(extra)).toBe(field);
    }
    const dup = await a.post('/api/admin/subscribers', {
      accountNumber: created.accountNumber,
      displayName: 'Dup',
      password: 'secret-pw',
    });
    expect(dup.status).toBe(409);
    expect(await count()).toBe(before);

    // Money: negative, non-numeric, too many decimals, zero, no reason → 400, ledger untouched.
    const ledgerBefore = (await a.get(`/api/admin/subscribers/${created.id}/ledger`)).body.total;
    for (const body of [
      { amount: '-5', reason: 'x' },
      { amount: -5, reason: 'x' },
      { amount: 'ten', reason: 'x' },
      { amount: '1.005', reason: 'x' },
      { amount: '0', reason: 'x' },
      { amount: '5', reason: '' },
      { amount: '5', reason: 'x', kind: 'top_up', direction: 'debit' },
      { amount: '5', reason: 'x', kind: 'gift' },
    ]) {
      const res = await a.post(`/api/admin/subscribers/${created.id}/credit`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await a.post('/api/admin/subscribers/999999/credit', { amount: '5', reason: 'x' })).status).toBe(
      404,
    );
    expect((await a.get(`/api/admin/subscribers/${created.id}/ledger`)).body.total).toBe(ledgerBefore);

    const topUp = await a.post(`/api/admin/subscribers/${created.id}/credit`, {
      amount: '10.50',
      reason: 'Paid by card',
    });
    expect(topUp.status).toBe(200);
    expect(topUp.body.subscriber.balance).toBe('10.50');
    const adjust = await a.post(`/api/admin/subscribers/${created.id}/credit`, {
      amount: 0.5,
      reason: 'Goodwill',
      kind: 'adjustment',
    });
    expect(adjust.body.subscriber.balance).toBe('11.00');
    const tooMuch = await a.post(`/api/admin/subscribers/${created.id}/credit`, {
      amount: '11.01',
      reason: 'Refund',
      kind: 'adjustment',
      direction: 'debit',
    });
    expect(tooMuch.status).toBe(409);
    const debit = await a.post(`/api/admin/subscribers/${created.id}/credit`, {
      amount: '1',
      reason: 'Refund',
      kind: 'adjustment',
      direction: 'debit',
    });
    expect(debit.body.subscriber.balance).toBe('10.00');
    const ledger = await a.get(`/api/admin/subscribers/${created.id}/ledger`);
    expect(ledger.body.entries.map((e: { kind: string; amount: string }) => [e.kind, e.amount])).toEqual([
      ['adjustment', '-1.00'],
      ['adjustment', '0.50'],
      ['top_up', '10.50'],
    ]);
    expect(ledger.body.entries[0]).toMatchObject({
      reason: 'Refund',
      actor: { kind: 'user', name: 'Admin' },
    });
    await assertBalanceIsLedger(sys(), created.id);
    expect(await auditCount('subscriber.top_up')).toBeGreaterThanOrEqual(1);
    expect(await auditCount('subscriber.adjust')).toBeGreaterThanOrEqual(2);

    // Suspend, reset PIN and password.
    const suspend = await a.patch(`/api/admin/subscribers/${created.id}`, { status: 'suspended' });
    expect(suspend.status).toBe(200);
    expect(suspend.body.subscriber.status).toBe('suspended');
    expect(await auditCount('subscriber.suspend')).toBeGreaterThanOrEqual(1);
    const signedIn = await portal(created.accountNumber, 'secret-pw');
    expect((await a.patch(`/api/admin/subscribers/${created.id}`, { pin: 'abcd' })).status).toBe(400);
    expect((await a.patch(`/api/admin/subscribers/${created.id}`, { currency: 'EUR' })).status).toBe(400);
    expect(
      (await a.patch(`/api/admin/subscribers/${created.id}`, { pin: '55555', password: 'reset-pw' })).status,
    ).toBe(200);
    expect(await sys().deps.subscriberAccounts.verifyPin(created.id, '55555')).toBe(true);
    expect((await signedIn.get('/api/portal/me')).status).toBe(401); // the reset ended the session
    await portal(created.accountNumber, 'reset-pw');

    const list = await a.get(`/api/admin/subscribers?search=${created.accountNumber}`);
    expect(list.body.subscribers.map((s: { id: number }) => s.id)).toEqual([created.id]);
    const suspended = await a.get('/api/admin/subscribers?status=suspended&pageSize=200');
    expect(suspended.body.subscribers.some((s: { id: number }) => s.id === created.id)).toBe(true);
  });

  it('keeps subscriber administration to administrators', async () => {
    const agent = sys().client();
    await agent.login('alice');
    const sub = await portal();
    for (const [method, path, body] of [
      ['GET', '/api/admin/subscribers', undefined],
      ['POST', '/api/admin/subscribers', { accountNumber: '123456', displayName: 'x', password: 'xxxx' }],
      ['PATCH', '/api/admin/subscribers/1', { status: 'suspended' }],
      ['POST', '/api/admin/subscribers/1/credit', { amount: '100', reason: 'free money' }],
      ['GET', '/api/admin/rate-tables', undefined],
      ['POST', '/api/admin/rate-tables', { name: 'x', currency: 'USD' }],
      ['GET', '/api/admin/rates/quote?subscriberId=1&number=%2B14155550100', undefined],
    ] as const) {
      expect((await sys().client().request(method, path, body)).status, `${method} ${path}`).toBe(401);
      expect((await agent.request(method, path, body)).status, `${method} ${path}`).toBe(403);
      expect((await sub.request(method, path, body)).status, `${method} ${path}`).toBe(401);
    }
  });

  it('sets the warning before the cut and the longest call in the admin settings', async () => {
    const a = await admin();
    expect((await a.get('/api/admin/settings')).body.rating).toEqual({
      warnBeforeEndS: 60,
      maxCallDurationS: 14_400,
    });
    expect(await sys().deps.rating.warnBeforeEndMs()).toBe(60_000);
    const bad = await a.put('/api/admin/settings', {
      rating: { warnBeforeEndS: -1, maxCallDurationS: 3600 },
    });
    expect(bad.status).toBe(400);
    const ok = await a.put('/api/admin/settings', { rating: { warnBeforeEndS: 30, maxCallDurationS: 3600 } });
    expect(ok.status).toBe(200);
    expect(ok.body.rating).toEqual({ warnBeforeEndS: 30, maxCallDurationS: 3600 });
    expect(await sys().deps.rating.warnBeforeEndMs()).toBe(30_000);
    await a.put('/api/admin/settings', { rating: { warnBeforeEndS: 60, maxCallDurationS: 14_400 } });
    expect(await sys().deps.rating.warnBeforeEndMs()).toBe(60_000);
  });
});
