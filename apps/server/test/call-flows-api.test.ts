import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallFlow, FlowLiveResponse, FlowVersion } from '@switchboard/shared';
import { expect, it } from 'vitest';
import { CallFlows } from '../src/flows/call-flows';
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

  it('plays uploaded sounds in Play and Menu: publish refuses a missing one, and a sound a flow plays cannot be deleted', async () => {
    const admin = await as('admin');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-flow-sound-'));
    const wav = path.join(dir, 'greeting.wav');
    execFileSync('sox', ['-n', '-r', '16000', wav, 'synth', '0.5', 'sine', '440']);
    const sound = await sys().deps.sounds.upload({
      data: readFileSync(wav),
      originalName: 'greeting.wav',
      name: unique('greeting'),
    });
    const spare = await sys().deps.sounds.upload({
      data: readFileSync(wav),
      originalName: 'spare.wav',
      name: unique('spare'),
    });
    const definition = menuFlow(await salesId());
    definition.components[0]!.settings = { prompts: [{ sound: sound.id }, { prompt: 'welcome' }] };
    definition.components[1]!.settings = {
      ...definition.components[1]!.settings,
      retryPrompts: [{ sound: 999_999 }],
    };
    const name = unique('Sounds');
    const created = await admin.post('/api/admin/flows', { name, definition });
    const flow = (created.body as { flow: CallFlow }).flow;
    expect(flow.problems).toEqual([
      {
        componentId: 'menu',
        field: 'prompts',
        message: 'Menu menu: the uploaded sound 999999 does not exist (deleted?)',
      },
    ]);
    expect((await admin.post(`/api/admin/flows/${flow.id}/publish`, {})).status).toBe(422);
    definition.components[1]!.settings = { ...definition.components[1]!.settings, retryPrompts: [] };
    await admin.put(`/api/admin/flows/${flow.id}`, { definition });
    expect((await admin.post(`/api/admin/flows/${flow.id}/publish`, {})).status).toBe(200);
    // The runner gets the file of each sound the version plays.
    expect(await sys().deps.flows.soundFiles(definition)).toEqual(
      new Map([[sound.id, (await sys().deps.sounds.get(sound.id))!.path]]),
    );

    // Deleting a sound the flow plays is refused, naming the flow; the sound stays.
    const refused = await admin.delete(`/api/admin/sounds/${sound.id}`);
    expect(refused.status).toBe(409);
    expect((refused.body as { error: { message: string } }).error.message).toBe(
      `The sound is played by the call flow ${name}; take it out of it (and publish) first`,
    );
    expect(await sys().deps.sounds.get(sound.id)).not.toBeNull();
    // One no flow plays goes.
    expect((await admin.delete(`/api/admin/sounds/${spare.id}`)).status).toBe(204);
    // Out of the draft but still in the published version: still refused.
    const without = structuredClone(definition);
    without.components[0]!.settings = { prompts: [{ prompt: 'welcome' }] };
    await admin.put(`/api/admin/flows/${flow.id}`, { definition: without });
    expect((await admin.delete(`/api/admin/sounds/${sound.id}`)).status).toBe(409);
    await admin.post(`/api/admin/flows/${flow.id}/publish`, {});
    expect((await admin.delete(`/api/admin/sounds/${sound.id}`)).status).toBe(204);
  });

  it('names a Callback service component whose service does not exist', async () => {
    const admin = await as('admin');
    const created = await admin.post('/api/admin/flows', {
      name: unique('Hand over'),
      definition: {
        start: 'svc',
        components: [component('svc', 'callback_service', { serviceId: 999_999 })],
      },
    });
    expect((created.body as { flow: CallFlow }).flow.problems).toEqual([
      {
        componentId: 'svc',
        field: 'serviceId',
        message: 'Callback service svc: callback service 999999 does not exist',
      },
    ]);
  });

  it('keeps counts per version and day in the database: every node adds to them, and they outlive a restart', async () => {
    const admin = await as('admin');
    const created = await admin.post('/api/admin/flows', {
      name: unique('Counted'),
      definition: menuFlow(await salesId()),
    });
    const flowId = (created.body as { flow: CallFlow }).flow.id;
    await admin.post(`/api/admin/flows/${flowId}/publish`, {});
    // Two nodes on one database, each with a call through version 1.
    const nodes = [new CallFlows(sys().db), new CallFlows(sys().db)];
    nodes.forEach((node, n) => {
      const callId = `counted-${n}`;
      node.report({ kind: 'enter', callId, flowId, version: 1, componentId: 'greet' });
      node.report({ kind: 'step', callId, flowId, version: 1, componentId: 'greet', exit: 'next' });
      node.report({ kind: 'enter', callId, flowId, version: 1, componentId: 'menu' });
      node.report({ kind: 'step', callId, flowId, version: 1, componentId: 'menu', exit: `key:${n + 1}` });
    });
    // A test call into the draft counts apart.
    nodes[0]!.report({ kind: 'enter', callId: 'test', flowId, version: null, componentId: 'greet' });
    // Calls in a component now are this node's, whichever version they run.
    expect((await nodes[0]!.live(flowId, 1)).inComponent).toEqual({ menu: 1, greet: 1 });
    await Promise.all(nodes.map((node) => node.stop()));
    // A node started afterwards (a restart) reads them back; so does the API, for the published version.
    const restarted = new CallFlows(sys().db);
    const expected = {
      version: 1,
      inComponent: {},
      enteredToday: { greet: 2, menu: 2 },
      exitsToday: { 'greet:next': 2, 'menu:key:1': 1, 'menu:key:2': 1 },
    };
    expect(await restarted.live(flowId, 1)).toMatchObject(expected);
    const api = (await admin.get(`/api/admin/flows/${flowId}/live`)).body as FlowLiveResponse;
    expect(api).toMatchObject(expected);
    expect(api.day).toBe(new Date().toISOString().slice(0, 10));
    expect((await admin.get(`/api/admin/flows/${flowId}/live?version=draft`)).body).toMatchObject({
      version: null,
      enteredToday: { greet: 1 },
      exitsToday: {},
    });
    // Another version starts from nothing.
    expect(await restarted.live(flowId, 2)).toMatchObject({ enteredToday: {}, exitsToday: {} });
    expect((await admin.get(`/api/admin/flows/${flowId}/live?version=x`)).status).toBe(400);
  });
});
