import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase, loggedInAs, type TestSystem, userId } from './test-system';

/** A client that presents only a bearer token (no session cookie), as another server would. */
function withToken(sys: TestSystem, secret: string) {
  const client = sys.client();
  const auth = { authorization: `Bearer ${secret}` };
  return {
    get: (p: string) => client.request('GET', p, undefined, auth),
    post: (p: string, body: unknown) => client.request('POST', p, body, auth),
  };
}

describeEachDatabase('API tokens', (sys) => {
  it('is created by an administrator, shown once, stored hashed and audited', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const created = await admin.post('/api/admin/api-tokens', {
      name: 'Helpdesk',
      scopes: ['cdr:read'],
      actsAsUserId: await userId(sys(), 'sam'),
      expiresInDays: 30,
    });
    expect(created.status, created.text).toBe(201);
    const { token, secret } = created.body;
    expect(secret).toMatch(/^sb_[A-Za-z0-9_-]{40,}$/);
    expect(token).toMatchObject({ name: 'Helpdesk', scopes: ['cdr:read'], prefix: secret.slice(0, 10) });
    expect(token.actsAs.displayName).toBe('Sam');

    const listed = await admin.get('/api/admin/api-tokens');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const row = await sys()
      .db.selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    const audit = await sys()
      .db.selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'api_token')
      .where('entity_id', '=', String(token.id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create']);

    // Agents and supervisors may not make tokens; a token with no scope is refused.
    const sam = await loggedInAs(sys(), 'sam');
    expect((await sam.get('/api/admin/api-tokens')).status).toBe(403);
    const noScope = await admin.post('/api/admin/api-tokens', { name: 'x', scopes: [], expiresInDays: null });
    expect(noScope.status).toBe(400);
    expect(noScope.body.error.message).toMatch(/Choose at least one scope/);
  });

  it('opens only the routes of its scopes, with the rules of the user it acts as', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const make = async (scopes: string[], username: string) =>
      (
        await admin.post('/api/admin/api-tokens', {
          name: `${username} ${scopes.join(' ')}`,
          scopes,
          actsAsUserId: await userId(sys(), username),
          expiresInDays: null,
        })
      ).body.secret as string;

    const reader = withToken(sys(), await make(['cdr:read', 'customers:read'], 'sam'));
    const cdr = await reader.get('/api/cdr');
    expect(cdr.status, cdr.text).toBe(200);
    const write = await reader.post('/api/customers', { name: 'Nope', phones: ['+14155550100'] });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toBe('This API token lacks the "customers:write" scope');
    const closed = await reader.get('/api/admin/settings');
    expect(closed.status).toBe(403);
    expect(closed.body.error.message).toBe('API tokens may not use this route');

    // Acting as an agent, the token sees that agent's customers only, as the agent would.
    const asAlice = withToken(sys(), await make(['customers:read'], 'alice'));
    const alice = await loggedInAs(sys(), 'alice');
    const viaToken = await asAlice.get('/api/customers?limit=100');
    const viaDesk = await alice.get('/api/customers?limit=100');
    expect(viaToken.status).toBe(200);
    expect(viaToken.body.total).toBe(viaDesk.body.total);
    const samTotal = (await reader.get('/api/customers?limit=100')).body.total;
    expect(samTotal).toBeGreaterThan(viaToken.body.total);
    // A role check still applies: an agent's token cannot read the wallboard even with its scope.
    const agentQueues = withToken(sys(), await make(['queues:read'], 'alice'));
    expect((await agentQueues.get('/api/wallboard')).status).toBe(403);

    // Campaigns: reading and changing are separate scopes.
    const campaignReader = withToken(sys(), await make(['campaigns:read'], 'sam'));
    expect((await campaignReader.get('/api/campaigns')).status).toBe(200);
    const refused = await campaignReader.post('/api/campaigns', {
      name: 'Nope',
      mode: 'preview',
      agentIds: [],
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('This API token lacks the "campaigns:write" scope');
    const campaignWriter = withToken(sys(), await make(['campaigns:write'], 'sam'));
    const made = await campaignWriter.post('/api/campaigns', {
      name: 'By token',
      mode: 'preview',
      agentIds: [await userId(sys(), 'alice')],
    });
    expect(made.status, made.text).toBe(201);
    expect((await campaignWriter.get(`/api/campaigns/${made.body.campaign.id}`)).status).toBe(403);
  });

  it('is refused once revoked or expired, or when it is not a token at all', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const created = await admin.post('/api/admin/api-tokens', {
      name: 'Short-lived',
      scopes: ['cdr:read'],
      expiresInDays: 1,
    });
    const token = withToken(sys(), created.body.secret);
    expect((await token.get('/api/cdr')).status).toBe(200);

    await sys()
      .db.updateTable('api_tokens')
      .set({ expires_at: Date.now() - 1000 })
      .where('id', '=', created.body.token.id)
      .execute();
    const expired = await token.get('/api/cdr');
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toBe('The API token has expired');

    const other = await admin.post('/api/admin/api-tokens', {
      name: 'Revoked',
      scopes: ['cdr:read'],
      expiresInDays: null,
    });
    expect((await admin.delete(`/api/admin/api-tokens/${other.body.token.id}`)).status).toBe(204);
    const revoked = await withToken(sys(), other.body.secret).get('/api/cdr');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toBe('The API token has been revoked');
    expect((await admin.delete('/api/admin/api-tokens/999999')).status).toBe(404);

    const bogus = await withToken(sys(), 'sb_not-a-real-token').get('/api/cdr');
    expect(bogus.status).toBe(401);
    const malformed = await sys()
      .client()
      .request('GET', '/api/cdr', undefined, { authorization: 'Basic abc' });
    expect(malformed.status).toBe(401);
    expect(malformed.body.error.message).toMatch(/Bearer/);
  });

  it('is held to its requests per minute with 429 and Retry-After', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const created = await admin.post('/api/admin/api-tokens', {
      name: 'Slow',
      scopes: ['cdr:read'],
      expiresInDays: null,
      requestsPerMinute: 3,
    });
    const token = withToken(sys(), created.body.secret);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof token.get>> | null = null;
    for (let i = 0; i < 4; i++) {
      last = await token.get('/api/cdr');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
