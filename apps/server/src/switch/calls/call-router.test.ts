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
