import { digitsOnly, toE164 } from '@switchboard/shared';
import type { Flow } from '@switchboard/sip';
import type { Selectable } from 'kysely';
import { recordAudit } from '../../audit/audit-log';
import type { Db } from '../../db/database';
import type { InboundRoutesTable } from '../../db/schema';
import { CachedRead } from '../../db/table-writes';
import type {
  ExtensionInfo,
  LocationService,
  OutboundTrunks,
  RegisteredContact,
  TrunkRoute,
} from '../contracts';

export type { ExtensionInfo } from '../contracts';

import { parseDialReference, resolveDialReference } from './dial-reference';

/** Where a new INVITE came from. */
export type CallSource =
  | { kind: 'trunk'; trunk: TrunkRoute }
  | { kind: 'extension'; extension: ExtensionInfo; contact: RegisteredContact };

/** Where it goes. `status`/`cause` describe a refusal (with a CDR, except for 403 to strangers). */
export type CallDestination =
  | { kind: 'extension'; extension: ExtensionInfo }
  | { kind: 'outside'; number: string }
  | { kind: 'queue'; queueId: number }
  /** A service that runs the call as a script (access-number callback, call flow). */
  | { kind: 'service'; targetType: string; targetId: string }
  | { kind: 'refuse'; status: number; reason: string; cause: string; queueId?: number | null };

type InboundRoute = Selectable<InboundRoutesTable>;

function sameFlow(a: Flow, b: Flow): boolean {
  if (a.connection && b.connection) return a.connection === b.connection;
  return a.transport === b.transport && a.remoteAddress === b.remoteAddress && a.remotePort === b.remotePort;
}

/**
 * Routing decisions, kept apart from the SIP mechanics so they can be tested on their own: who is
 * calling (a registered extension from its own binding, else the trunk by source address, else
 * nobody) and where the dialled number leads (inbound route, extension, outside via the trunk).
 */
export class CallRouter {
  /**
   * What every call reads is kept in memory (`CachedRead`): dropped as soon as this node writes one
   * of its tables, re-read within seconds of another node's change.
   */
  private readonly extensions: CachedRead<Map<string, ExtensionInfo>>;
  private readonly routes: CachedRead<InboundRoute[]>;
  private readonly queueIds: CachedRead<Set<number>>;

  constructor(
    private readonly db: Db,
    private readonly location: LocationService,
    private readonly trunks: OutboundTrunks,
    private readonly defaultCountry: string,
  ) {
    this.extensions = new CachedRead(db, ['extensions', 'users'], () => this.readExtensions());
    this.routes = new CachedRead(db, ['inbound_routes'], () =>
      db.selectFrom('inbound_routes').selectAll().execute(),
    );
    this.queueIds = new CachedRead(
      db,
      ['queues'],
      async () => new Set((await db.selectFrom('queues').select('id').execute()).map((q) => q.id)),
    );
  }

  private async readExtensions(): Promise<Map<string, ExtensionInfo>> {
    const rows = await this.db
      .selectFrom('extensions')
      .leftJoin('users', 'users.id', 'extensions.user_id')
      .select([
        'extensions.number',
        'extensions.type',
        'extensions.user_id',
        'extensions.recording_enabled',
        'users.role',
        'users.display_name',
        'users.disabled',
      ])
      .execute();
    return new Map(
      rows.map((row) => [
        row.number,
        {
          number: row.number,
          type: row.type,
          userId: row.disabled ? null : row.user_id,
          recording: Boolean(row.recording_enabled),
          role: (row.role as ExtensionInfo['role']) ?? null,
          displayName: row.display_name ?? null,
        },
      ]),
    );
  }

  async extension(number: string): Promise<ExtensionInfo | null> {
    const info = (await this.extensions.get()).get(number);
    // A copy: the cached one is shared by every call.
    return info ? { ...info } : null;
  }

  /**
   * An extension is trusted on the binding it registered with digest auth (same connection for
   * WS/TCP, same address and port for UDP); the trunk by its configured addresses. Anyone else: 403.
   * The extension check comes first because a desk phone and the carrier may share an address.
   */
  async classify(fromUser: string | undefined, flow: Flow): Promise<CallSource | null> {
    if (fromUser) {
      const contact = this.location.lookup(fromUser).find((c) => sameFlow(c.flow, flow));
      if (contact) {
        const extension = await this.extension(fromUser);
        if (extension) return { kind: 'extension', extension, contact };
      }
    }
    const trunk = this.trunks.trunkForAddress(flow.remoteAddress, flow.remotePort);
    if (!trunk) return null;
    trunk.countCall?.('inbound');
    return { kind: 'trunk', trunk };
  }

  /** Parsed numbers by text: a route's number is parsed once, not on every INVITE that scans the routes. */
  private readonly e164Memo = new Map<string, string | null>();

  e164(number: string): string | null {
    let parsed = this.e164Memo.get(number);
    if (parsed === undefined) {
      parsed = toE164(number, this.defaultCountry as Parameters<typeof toE164>[1]);
      // Bounded: dialled numbers pass through here too, and are mostly seen once.
      if (this.e164Memo.size >= 10_000) this.e164Memo.clear();
      this.e164Memo.set(number, parsed);
    }
    return parsed;
  }

  /** The inbound route for a called number (DID), compared as E.164 and as digits. */
  async inboundRoute(called: string): Promise<InboundRoute | null> {
    const routes = await this.routes.get();
    const e164 = this.e164(called);
    const digits = digitsOnly(called);
    return (
      routes.find((r) => r.number === called) ??
      routes.find((r) => e164 !== null && this.e164(r.number) === e164) ??
      routes.find((r) => digits !== '' && digitsOnly(r.number) === digits) ??
      null
    );
  }

  async destination(source: CallSource, dialled: string): Promise<CallDestination> {
    if (source.kind === 'trunk') {
      const route = await this.inboundRoute(dialled);
      if (!route) return { kind: 'refuse', status: 404, reason: 'Not Found', cause: 'no_route' };
      if (route.target_type === 'extension') {
        const extension = await this.extension(route.target_id);
        if (!extension) return { kind: 'refuse', status: 404, reason: 'Not Found', cause: 'no_extension' };
        return { kind: 'extension', extension };
      }
      if (route.target_type === 'queue') {
        const queueId = /^\d+$/.test(route.target_id) ? Number(route.target_id) : null;
        if (queueId !== null && (await this.queueIds.get()).has(queueId)) return { kind: 'queue', queueId };
        return { kind: 'refuse', status: 480, reason: 'Queue Not Available', cause: 'queue_not_available' };
      }
      return { kind: 'service', targetType: route.target_type, targetId: route.target_id };
    }
    const ref = parseDialReference(dialled);
    if (ref) {
      // Dial by reference: the real number from the DB if the caller may call it, else 404.
      const real = await resolveDialReference(this.db, source.extension, ref);
      const number = real === null ? null : this.e164(real);
      if (!number) return { kind: 'refuse', status: 404, reason: 'Not Found', cause: 'no_such_reference' };
      return this.outside(source.extension, number);
    }
    const extension = /^\d{2,6}$/.test(dialled) ? await this.extension(dialled) : null;
    if (extension) return { kind: 'extension', extension };
    const number = this.e164(dialled);
    if (!number) return { kind: 'refuse', status: 404, reason: 'Not Found', cause: 'invalid_number' };
    return this.outside(source.extension, number);
  }

  /**
   * A manual dial to an outside number. One on the do-not-call list is refused to agents; a
   * supervisor's or administrator's dial goes through as an override, written to the audit log
   * (docs/dialer.md, "Do-not-call list").
   */
  private async outside(caller: ExtensionInfo, number: string): Promise<CallDestination> {
    const listed = await this.db
      .selectFrom('do_not_call')
      .select('id')
      .where('number', '=', number)
      .executeTakeFirst();
    if (!listed) return { kind: 'outside', number };
    if (caller.role !== 'supervisor' && caller.role !== 'admin') {
      return { kind: 'refuse', status: 403, reason: 'Do Not Call', cause: 'do_not_call' };
    }
    await recordAudit(this.db, {
      actor: { kind: 'user', id: caller.userId },
      action: 'do_not_call.override',
      entity: 'do_not_call',
      entityId: listed.id,
      after: { number, extension: caller.number },
    });
    return { kind: 'outside', number };
  }

  contacts(extension: string): RegisteredContact[] {
    return this.location.lookup(extension);
  }

  trunk() {
    return this.trunks.pick();
  }
}
