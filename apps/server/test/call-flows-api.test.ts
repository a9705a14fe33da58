import type { CallFlow, FlowVersion } from '@switchboard/shared';
import { expect, it } from 'vitest';
import { component, menuFlow } from './flow-fixtures';
import { type ApiClient, describeEachDatabase } from './test-system';

describeEachDatabase('call flows API', (sys) => {
  let seq = 0;
  const unique = (p: string) => `${p} ${process.pid % 1000}-${++seq}`;
  async function as(user: string): Promise<ApiClient> {
    const c = sys().client();
    await c.login(user);
    return c;
  }
  async function salesId() {
    const q = await sys()
      .db.selectFrom('queues')
      .select('id')
      .where('name', '=', 'sales')
      .executeTakeFirstOrThrow();
    return q.id;
  }

  it('creates a draft, saves it, publishes versions, lists them and restores an old one', async () => {
    const admin = await as('admin');
    const name = unique('Menu');
    const created = await admin.post('/api/admin/flows', { name });
    expect(created.status).toBe(201);
    const flow = (created.body as { flow: CallFlow }).flow;
    expect(flow).toMatchObject({ name, publishedVersion: null, draftChanged: true, numbers: [] });
    expect(flow.problems.map((p) => p.field)).toEqual(['start']);

    const v1 = menuFlow(await salesId());
    const saved = await admin.put(`/api/admin/flows/${flow.id}`, { definition: v1 });
    expect(saved.status).toBe(200);
    expect((saved.body as { flow: CallFlow }).flow.problems).toEqual([]);

    const pub = await admin.post(`/api/admin/flows/${flow.id}/publish`, {});
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ version: 1, flow: { publishedVersion: 1, draftChanged: false } });

    // A second version: the greeting changes.
    const v2 = structuredClone(v1);
    v2.components[0]!.settings = { prompts: [{ prompt: 'please-wait' }] };
    await admin.put(`/api/admin/flows/${flow.id}`, { definition: v2 });
    expect(
      ((await admin.get(`/api/admin/flows/${flow.id}`)).body as { flow: CallFlow }).flow.draftChanged,
    ).toBe(true);
    expect((await admin.post(`/api/admin/flows/${flow.id}/publish`, {})).body).toMatchObject({ version: 2 });

    const versions = (await admin.get(`/api/admin/flows/${flow.id}/versions`)).body as {
      versions: FlowVersion[];
    };
    expect(versions.versions.map((v) => [v.version, v.publishedBy])).toEqual([
      [2, 'admin'],
      [1, 'admin'],
    ]);
    expect(versions.versions[1]!.definition).toEqual(v1);

    const restored = await admin.post(`/api/admin/flows/${flow.id}/versions/1/restore`, {});
    expect(restored.status).toBe(200);
    expect((restored.body as { flow: CallFlow }).flow).toMatchObject({ draft: v1, publishedVersion: 2 });
    expect((await admin.post(`/api/admin/flows/${flow.id}/versions/9/restore`, {})).status).toBe(404);

    const list = (await admin.get('/api/admin/flows')).body as { flows: Array<{ id: number; name: string }> };
    expect(list.flows.some((f) => f.id === flow.id && f.name === name)).toBe(true);
    const audit = await sys()
      .db.selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'call_flow')
      .where('entity_id', '=', String(flow.id))
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'call_flow.create',
      'call_flow.publish',
      'call_flow.publish',
      'call_flow.restore',
      'call_flow.update',
      'call_flow.update',
    ]);
  });

  it('refuses to publish a flow with problems, naming the component, and changes nothing', async () => {
    const admin = await as('admin');
    const salesQueue = await salesId();
    const bad = {
      start: 'greet',
      components: [
        component('greet', 'play', { prompts: [{ prompt: 'no-such-prompt' }] }, { next: 'menu' }),
        component(
          'menu',
          'menu',
          { prompts: [{ prompt: 'welcome' }], choices: ['1'], timeoutS: 5, attempts: 2 },
          { 'key:1': 'q', timeout: null, invalid: 'gone' },
        ),
        component('q', 'queue', { queueId: 999_999 }, { full: 'a' }),
        // a ↔ b loop with nothing that plays or waits.
        component('a', 'set_variable', { variable: 'x', value: '1' }, { next: 'b' }),
        component(
          'b',
          'condition',
          { subject: { variable: 'x' }, operator: 'equals', value: '1' },
          { match: 'a', else: 'a' },
        ),
        component('c', 'collect', { prompts: [], variable: '1bad', maxDigits: 0 }, {}),
      ],
    };
    const created = await admin.post('/api/admin/flows', { name: unique('Broken'), definition: bad });
    expect(created.status).toBe(201);
    const id = (created.body as { flow: CallFlow }).flow.id;
    const res = await admin.post(`/api/admin/flows/${id}/publish`, {});
    expect(res.status).toBe(422);
    const problems = (
      res.body as { error: { details: { problems: Array<{ componentId: string; message: string }> } } }
    ).error.details.problems;
    const about = (cid: string) => problems.filter((p) => p.componentId === cid).map((p) => p.message);
    expect(about('greet').join()).toMatch(/no-such-prompt does not exist/);
    expect(about('menu').join()).toMatch(/timeout exit leads nowhere/);
    expect(about('menu').join()).toMatch(/invalid exit leads to gone, which does not exist/);
    expect(about('q').join()).toMatch(/queue 999999 does not exist/);
    expect(
      problems.some(
        (p) => ['a', 'b'].includes(p.componentId) && /loop with no prompt or wait/.test(p.message),
      ),
    ).toBe(true);
    expect(about('c').length).toBeGreaterThanOrEqual(3);
    const row = await sys()
      .db.selectFrom('call_flows')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.published_version).toBeNull();
    const versions = await sys()
      .db.selectFrom('call_flow_versions')
      .selectAll()
      .where('flow_id', '=', id)
      .execute();
    expect(versions).toEqual([]);
    // A loop through a menu is fine (the caller hears it each time round).
    const loop = menuFlow(salesQueue);
    loop.components[1]!.exits.timeout = 'greet';
    await admin.put(`/api/admin/flows/${id}`, { definition: loop });
    expect((await admin.post(`/api/admin/flows/${id}/publish`, {})).status).toBe(200);
  });

  it('rejects malformed drafts with a 400 naming the field, and unknown flows with 404', async () => {
    const admin = await as('admin');
    const id = ((await admin.post('/api/admin/flows', { name: unique('Shape') })).body as { flow: CallFlow })
      .flow.id;
    const cases: unknown[] = [
      { definition: { start: 'x', components: [{ id: 'x', type: 'teleport' }] } },
      { definition: { start: 'x', components: [{ id: 'has space', type: 'play' }] } },
      {
        definition: { start: 'x', components: [component('x', 'hangup', {}), component('x', 'hangup', {})] },
      },
      { name: '' },
      { surprise: true },
    ];
    for (const body of cases) {
      const res = await admin.put(`/api/admin/flows/${id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const row = await sys()
      .db.selectFrom('call_flows')
      .select('draft')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.draft)).toEqual({ start: null, components: [] });
    expect((await admin.get('/api/admin/flows/999999')).status).toBe(404);
    expect((await admin.put('/api/admin/flows/999999', { name: 'x' })).status).toBe(404);
    expect((await admin.post('/api/admin/flows/999999/publish', {})).status).toBe(404);
    const dup = await admin.post('/api/admin/flows', { name: unique('Dup') });
    const again = await admin.post('/api/admin/flows', { name: (dup.body as { flow: CallFlow }).flow.name });
    expect(again.status).toBe(409);
  });

  it('routes a number to a published flow only, and keeps a routed flow from being deleted', async () => {
    const admin = await as('admin');
    const id = (
      (
        await admin.post('/api/admin/flows', {
          name: unique('Routed'),
          definition: menuFlow(await salesId()),
        })
      ).body as { flow: CallFlow }
    ).flow.id;
    const number = `55577${process.pid % 100}${seq}`;
    const unpublished = await admin.post('/api/admin/inbound-routes', {
      number,
      targetType: 'flow',
      targetId: String(id),
    });
    expect(unpublished.status).toBe(400);
    expect((await admin.post(`/api/admin/flows/${id}/publish`, {})).status).toBe(200);
    const route = await admin.post('/api/admin/inbound-routes', {
      number,
      targetType: 'flow',
      targetId: String(id),
    });
    expect(route.status).toBe(201);
    expect(((await admin.get(`/api/admin/flows/${id}`)).body as { flow: CallFlow }).flow.numbers).toEqual([
      number,
    ]);
    expect(
      (
        await admin.post('/api/admin/inbound-routes', {
          number: `${number}9`,
          targetType: 'flow',
          targetId: '999999',
        })
      ).status,
    ).toBe(400);
    expect((await admin.delete(`/api/admin/flows/${id}`)).status).toBe(409);
    await admin.delete(`/api/admin/inbound-routes/${(route.body as { id: number }).id}`);
    expect((await admin.delete(`/api/admin/flows/${id}`)).status).toBe(204);
    expect((await admin.get(`/api/admin/flows/${id}`)).status).toBe(404);
    expect(
      await sys().db.selectFrom('call_flow_versions').selectAll().where('flow_id', '=', id).execute(),
    ).toEqual([]);
  });

  it('has the demo "Main menu" published on 5550102, with no problems', async () => {
    const admin = await as('admin');
    const list = (await admin.get('/api/admin/flows')).body as { flows: Array<{ id: number; name: string }> };
    const main = list.flows.find((f) => f.name === 'Main menu');
    expect(main).toMatchObject({ publishedVersion: 1, draftChanged: false, numbers: ['5550102'] });
    const flow = ((await admin.get(`/api/admin/flows/${main!.id}`)).body as { flow: CallFlow }).flow;
    expect(flow.problems).toEqual([]);
    const menu = flow.draft.components.find((c) => c.type === 'menu')!;
    const target = (exit: string) => flow.draft.components.find((c) => c.id === menu.exits[exit])!;
    expect(target('key:1').settings).toMatchObject({ queueId: await salesId() });
    expect(target('timeout').settings).toMatchObject({ queueId: await salesId() });
    expect(target('invalid').settings).toMatchObject({ queueId: await salesId() });
    expect(menu.settings).toMatchObject({ attempts: 2 });
    const callback = flow.draft.components.find((c) => c.type === 'callback')!;
    expect(callback.settings).toMatchObject({ method: 'caller', delayS: 5 });
    expect(flow.draft.components.find((c) => c.id === callback.exits.next)!.settings).toMatchObject({
      queueId: await salesId(),
    });
  });

  it('lets supervisors read flows but not change them; agents see nothing', async () => {
    const admin = await as('admin');
    const id = (
      (await admin.post('/api/admin/flows', { name: unique('Readable') })).body as { flow: CallFlow }
    ).flow.id;
    const sam = await as('sam');
    expect((await sam.get('/api/admin/flows')).status).toBe(200);
    expect((await sam.get(`/api/admin/flows/${id}`)).status).toBe(200);
    expect((await sam.get(`/api/admin/flows/${id}/versions`)).status).toBe(200);
    expect((await sam.get('/api/admin/flow-prompts')).body).toMatchObject({
      prompts: expect.arrayContaining(['welcome']),
    });
    expect((await sam.put(`/api/admin/flows/${id}`, { name: 'x' })).status).toBe(403);
    expect((await sam.post(`/api/admin/flows/${id}/publish`, {})).status).toBe(403);
    expect((await sam.delete(`/api/admin/flows/${id}`)).status).toBe(403);
    expect((await sam.post('/api/admin/flows', { name: 'x' })).status).toBe(403);
    const alice = await as('alice');
    expect((await alice.get('/api/admin/flows')).status).toBe(403);
    expect((await sys().client().get('/api/admin/flows')).status).toBe(401);
  });
});
