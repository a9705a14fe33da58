import { expect, it } from 'vitest';
import { describeEachDatabase, loggedInAs } from './test-system';

describeEachDatabase('callback services API', (sys) => {
  it('lists the demo service on 5550199 (caller, ring 2 s then busy, delay 3 s, PIN, credit query)', async () => {
    const c = await loggedInAs(sys(), 'admin');
    const res = await c.get('/api/admin/callback-services');
    expect(res.status).toBe(200);
    const demo = res.body.callbackServices.find(
      (s: { accessNumber: string }) => s.accessNumber === '5550199',
    );
    expect(demo).toMatchObject({
      method: 'call_caller',
      trigger: 'ring_then_busy',
      ringSeconds: 2,
      delayS: 3,
      security: 'pin',
      creditQuery: true,
      announceBalance: true,
      disconnectSequence: '#11',
    });
    const routes = (await c.get('/api/admin/inbound-routes')).body.inboundRoutes;
    expect(routes).toContainEqual(
      expect.objectContaining({
        number: '5550199',
        targetType: 'callback_service',
        targetId: String(demo.id),
      }),
    );
  });

  it('creates, updates and deletes a service; its access number routes to it; every change audited', async () => {
    const c = await loggedInAs(sys(), 'admin');
    const created = await c.post('/api/admin/callback-services', {
      name: 'API test service',
      accessNumber: '5550177',
      method: 'call_number',
      number: '+14155550100',
      security: 'service_password',
      servicePassword: '4321',
      allowedCountries: ['us', 'CA'],
      maxPerHour: 5,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      name: 'API test service',
      method: 'call_number',
      hasServicePassword: true,
      allowedCountries: ['US', 'CA'],
      maxPerHour: 5,
    });
    expect(created.text).not.toContain('4321');
    const id = created.body.id as number;
    let routes = (await c.get('/api/admin/inbound-routes')).body.inboundRoutes;
    expect(routes).toContainEqual(expect.objectContaining({ number: '5550177', targetId: String(id) }));

    const updated = await c.put(`/api/admin/callback-services/${id}`, { accessNumber: '5550178', delayS: 7 });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ accessNumber: '5550178', delayS: 7, method: 'call_number' });
    // Timings take fractions of a second, kept to the millisecond.
    const quick = await c.put(`/api/admin/callback-services/${id}`, {
      ringSeconds: 0.25,
      delayS: 0.0504,
      firstDigitTimeoutS: 0.3,
      interDigitTimeoutS: 1.5,
    });
    expect(quick.status, quick.text).toBe(200);
    expect(quick.body).toMatchObject({
      ringSeconds: 0.25,
      delayS: 0.05,
      firstDigitTimeoutS: 0.3,
      interDigitTimeoutS: 1.5,
    });
    const row = await sys()
      .db.selectFrom('callback_services')
      .select(['ring_ms', 'delay_ms', 'first_digit_timeout_ms', 'inter_digit_timeout_ms'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      ring_ms: 250,
      delay_ms: 50,
      first_digit_timeout_ms: 300,
      inter_digit_timeout_ms: 1500,
    });
    routes = (await c.get('/api/admin/inbound-routes')).body.inboundRoutes;
    expect(routes.map((r: { number: string }) => r.number)).toContain('5550178');
    expect(routes.map((r: { number: string }) => r.number)).not.toContain('5550177');

    // An inbound route may target it through the routes API too.
    const route = await c.post('/api/admin/inbound-routes', {
      number: '5550179',
      targetType: 'callback_service',
      targetId: String(id),
    });
    expect(route.status, route.text).toBe(201);

    expect((await c.delete(`/api/admin/callback-services/${id}`)).status).toBe(204);
    expect((await c.get(`/api/admin/callback-services/${id}`)).status).toBe(404);
    routes = (await c.get('/api/admin/inbound-routes')).body.inboundRoutes;
    expect(routes.map((r: { number: string }) => r.number)).not.toContain('5550179');
    const audit = await sys()
      .db.selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'callback_service')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'callback_service.create',
      'callback_service.update',
      'callback_service.update',
      'callback_service.delete',
    ]);
  });

  it('refuses bad settings with the field named', async () => {
    const c = await loggedInAs(sys(), 'admin');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: '' }, 'name'],
      [{ name: 'x1', method: 'call_number' }, 'number'],
      [{ name: 'x2', method: 'call_extension', extension: '9999' }, 'extension'],
      [{ name: 'x3', security: 'service_password' }, 'servicePassword'],
      [{ name: 'x4', trunkId: 99999 }, 'trunkId'],
      [{ name: 'x5', allowedCountries: ['USA'] }, 'allowedCountries.0'],
      [{ name: 'x6', accessNumber: '5550100' }, 'accessNumber'],
      [{ name: 'x7', disconnectSequence: 'abc' }, 'disconnectSequence'],
      [{ name: 'x8', bogus: 1 }, 'body'],
      [{ name: 'x9', firstDigitTimeoutS: 0.01 }, 'firstDigitTimeoutS'],
      [{ name: 'x10', delayS: -1 }, 'delayS'],
      [{ name: 'x11', ringSeconds: 'soon' }, 'ringSeconds'],
    ];
    for (const [body, field] of cases) {
      const res = await c.post('/api/admin/callback-services', body);
      expect([400, 409], `${JSON.stringify(body)}: ${res.text}`).toContain(res.status);
      const fields = (res.body.error.details?.fields ?? []).map((f: { field: string }) => f.field);
      expect(fields, JSON.stringify(body)).toContain(field);
    }
    expect((await c.put('/api/admin/callback-services/99999', { delayS: 1 })).status).toBe(404);
  });

  it('is for administrators only', async () => {
    const agent = await loggedInAs(sys(), 'alice');
    expect((await agent.get('/api/admin/callback-services')).status).toBe(403);
    expect((await sys().client().get('/api/admin/callback-services')).status).toBe(401);
  });
});
