import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { createSqliteDatabase } from '../../db/sqlite/sqlite-database';
import type { LocationService, OutboundTrunks } from '../contracts';
import { CallRouter } from './call-router';

// The router's own collaborators for a DID lookup: nobody registered, no trunk.
const nobodyRegistered: LocationService = {
  lookup: () => [],
  isRegistered: () => false,
  onChange: () => () => {},
};
const noTrunks: OutboundTrunks = {
  pick: () => null,
  trunkForAddress: () => null,
  route: () => null,
  state: () => 'down',
};

describe('CallRouter.inboundRoute', () => {
  let db: Db;
  let router: CallRouter;
  beforeAll(async () => {
    db = createSqliteDatabase(':memory:');
    await migrateToLatest(db);
    const at = Date.now();
    await db
      .insertInto('inbound_routes')
      .values([
        { number: '+1 (202) 555-0150', target_type: 'extension', target_id: '1001', created_at: at },
        { number: '5550199', target_type: 'queue', target_id: '1', created_at: at },
      ])
      .execute();
    router = new CallRouter(db, nobodyRegistered, noTrunks, 'US');
  });
  afterAll(() => db.destroy());

  it('finds a DID written as it is dialled, as E.164 or by its digits', async () => {
    expect((await router.inboundRoute('5550199'))?.target_type).toBe('queue');
    expect((await router.inboundRoute('+12025550150'))?.target_id).toBe('1001');
    expect((await router.inboundRoute('2025550150'))?.target_id).toBe('1001');
    expect(await router.inboundRoute('+12025550151')).toBeNull();
  });

  it('sees a route edited after it was parsed once (the parse is kept by the number text)', async () => {
    expect((await router.inboundRoute('+12025550150'))?.target_id).toBe('1001');
    await db
      .updateTable('inbound_routes')
      .set({ number: '+12025550160' })
      .where('target_id', '=', '1001')
      .execute();
    expect(await router.inboundRoute('+12025550150')).toBeNull();
    expect((await router.inboundRoute('(202) 555-0160'))?.target_id).toBe('1001');
  });
});

describe('CallRouter.destination: the do-not-call list on manual dials', () => {
  let db: Db;
  let router: CallRouter;
  const phone = (role: 'agent' | 'supervisor', userId: number, number: string) => ({
    kind: 'extension' as const,
    extension: { number, type: 'sip' as const, userId, recording: false, role, displayName: number },
    contact: {} as never,
  });
  beforeAll(async () => {
    db = createSqliteDatabase(':memory:');
    await migrateToLatest(db);
    await db
      .insertInto('do_not_call')
      .values({ number: '+12025550199', reason: 'asked', created_by: null, created_at: Date.now() })
      .execute();
    router = new CallRouter(db, nobodyRegistered, noTrunks, 'US');
  });
  afterAll(() => db.destroy());

  it('refuses an agent’s dial to a listed number, in any format, and lets other numbers through', async () => {
    for (const dialled of ['+12025550199', '(202) 555-0199', '2025550199']) {
      expect(await router.destination(phone('agent', 7, '1004'), dialled)).toEqual({
        kind: 'refuse',
        status: 403,
        reason: 'Do Not Call',
        cause: 'do_not_call',
      });
    }
    expect(await router.destination(phone('agent', 7, '1004'), '2025550198')).toEqual({
      kind: 'outside',
      number: '+12025550198',
    });
    expect(await db.selectFrom('audit_log').selectAll().execute()).toEqual([]);
  });

  it('lets a supervisor override it, and audits who dialled which listed number', async () => {
    expect(await router.destination(phone('supervisor', 3, '2001'), '202-555-0199')).toEqual({
      kind: 'outside',
      number: '+12025550199',
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_kind', 'actor_id', 'action', 'entity', 'after'])
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_kind: 'user',
      actor_id: 3,
      action: 'do_not_call.override',
      entity: 'do_not_call',
    });
    expect(JSON.parse(String(audit[0]!.after))).toEqual({ number: '+12025550199', extension: '2001' });
  });
});
