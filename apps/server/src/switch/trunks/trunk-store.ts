import type { Trunk, trunkInputSchema, trunkUpdateSchema } from '@switchboard/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { auditBy, conflictOnUnique } from '../../admin/admin-helpers';
import type { Db } from '../../db/database';
import type { TrunksTable } from '../../db/schema';

type TrunkInput = z.infer<typeof trunkInputSchema>;
type TrunkUpdate = z.infer<typeof trunkUpdateSchema>;

/** What the switch runs a trunk by and the admin API shows of it. */
export const trunkColumns = [
  'id',
  'name',
  'uri',
  'username',
  'password',
  'transport',
  'register',
  'enabled',
  'caller_id',
  'inbound_addresses',
  'dialer_calls_per_second',
  'dialer_max_concurrent',
] as const;

export type TrunkRow = Pick<Selectable<TrunksTable>, (typeof trunkColumns)[number]>;

/** The stored inbound_addresses as a list; undefined when the value is not JSON at all. */
export function readInboundAddresses(json: string | null): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = json ? JSON.parse(json) : [];
  } catch {
    return undefined;
  }
  return Array.isArray(parsed) ? parsed.filter((a): a is string => typeof a === 'string') : [];
}

/** A trunk in the admin API's shape: the password is write-only, so only whether there is one. */
export function trunkFromRow(t: TrunkRow): Trunk {
  return {
    id: t.id,
    name: t.name,
    uri: t.uri,
    username: t.username,
    hasPassword: !!t.password,
    transport: t.transport,
    register: t.register === 1,
    enabled: t.enabled === 1,
    callerId: t.caller_id,
    // An unreadable value is shown as none; the switch logs it.
    inboundAddresses: readInboundAddresses(t.inbound_addresses) ?? [],
    dialerCallsPerSecond: t.dialer_calls_per_second === null ? null : Number(t.dialer_calls_per_second),
    dialerMaxConcurrent: t.dialer_max_concurrent === null ? null : Number(t.dialer_max_concurrent),
  };
}

/** The fields an update gives, as columns (a null or empty password clears it). */
function trunkChanges(input: TrunkUpdate) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.uri !== undefined ? { uri: input.uri } : {}),
    ...(input.username !== undefined ? { username: input.username } : {}),
    ...(input.password !== undefined ? { password: input.password || null } : {}),
    ...(input.transport !== undefined ? { transport: input.transport } : {}),
    ...(input.register !== undefined ? { register: input.register ? 1 : 0 } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
    ...(input.callerId !== undefined ? { caller_id: input.callerId } : {}),
    ...(input.inboundAddresses !== undefined
      ? { inbound_addresses: JSON.stringify(input.inboundAddresses) }
      : {}),
    ...(input.dialerCallsPerSecond !== undefined
      ? { dialer_calls_per_second: input.dialerCallsPerSecond }
      : {}),
    ...(input.dialerMaxConcurrent !== undefined ? { dialer_max_concurrent: input.dialerMaxConcurrent } : {}),
  };
}

/** Carrier trunks in the database: the switch's rows, and the admin API's reads and writes. */
/** The trunk asked for does not exist (deleted, or never was). */
export class TrunkNotFoundError extends Error {
  constructor(readonly trunkId: number) {
    super('No such trunk');
    this.name = 'TrunkNotFoundError';
  }
}

export class TrunkStore {
  constructor(private readonly db: Db) {}

  /** Every trunk's row, for the switch to run. */
  rows(): Promise<TrunkRow[]> {
    return this.db.selectFrom('trunks').select(trunkColumns).orderBy('id').execute();
  }

  /** Every trunk by name, in the API's shape. */
  async list(): Promise<Trunk[]> {
    const rows = await this.db.selectFrom('trunks').select(trunkColumns).orderBy('name').execute();
    return rows.map(trunkFromRow);
  }

  async create(input: TrunkInput, actor: number): Promise<Trunk> {
    const row = await this.db
      .insertInto('trunks')
      .values({
        name: input.name,
        uri: input.uri,
        username: input.username,
        password: input.password || null,
        transport: input.transport,
        register: input.register ? 1 : 0,
        enabled: input.enabled ? 1 : 0,
        caller_id: input.callerId,
        inbound_addresses: JSON.stringify(input.inboundAddresses),
        dialer_calls_per_second: input.dialerCallsPerSecond,
        dialer_max_concurrent: input.dialerMaxConcurrent,
        created_at: Date.now(),
      })
      .returning(trunkColumns)
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A trunk named ${input.name}`));
    const out = trunkFromRow(row);
    await auditBy(this.db, actor, { action: 'trunk.create', entity: 'trunk', entityId: row.id, after: out });
    return out;
  }

  /** 404 for an unknown trunk; the audit entry says whether the password changed, never what to. */
  async update(id: number, input: TrunkUpdate, actor: number): Promise<Trunk> {
    const before = await this.row(id);
    const row = await this.db
      .updateTable('trunks')
      .set(trunkChanges(input))
      .where('id', '=', id)
      .returning(trunkColumns)
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A trunk named ${input.name}`));
    const out = trunkFromRow(row);
    await auditBy(this.db, actor, {
      action: 'trunk.update',
      entity: 'trunk',
      entityId: id,
      before: trunkFromRow(before),
      after: { ...out, passwordChanged: input.password !== undefined },
    });
    return out;
  }

  async remove(id: number, actor: number): Promise<void> {
    const before = await this.row(id);
    await this.db.deleteFrom('trunks').where('id', '=', id).execute();
    await auditBy(this.db, actor, {
      action: 'trunk.delete',
      entity: 'trunk',
      entityId: id,
      before: trunkFromRow(before),
    });
  }

  private async row(id: number): Promise<TrunkRow> {
    const row = await this.db
      .selectFrom('trunks')
      .select(trunkColumns)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new TrunkNotFoundError(id);
    return row;
  }
}
