import {
  AliasNode,
  DeleteQueryNode,
  InsertQueryNode,
  type Kysely,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  TableNode,
  type UnknownRow,
  UpdateQueryNode,
} from 'kysely';

function tableOf(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (TableNode.is(node)) return node.table.identifier.name;
  if (AliasNode.is(node)) return tableOf(node.node);
  return undefined;
}

function writtenTable(node: RootOperationNode): string | undefined {
  if (InsertQueryNode.is(node)) return tableOf(node.into);
  if (UpdateQueryNode.is(node)) return tableOf(node.table);
  if (DeleteQueryNode.is(node)) return tableOf(node.from.froms[0]);
  return undefined;
}

/**
 * Counts the writes to each table made through one database handle (whatever makes them: an admin
 * route, a store, a test writing rows directly), so data read on every call can be kept in memory
 * and dropped as soon as it is changed through that handle. A write counts when it is built and
 * again when it has run, so a read that overlapped it is never kept. Writes by other processes
 * (other nodes, the admin CLI) are not seen, nor is the commit of a PostgreSQL transaction that
 * another connection read around: `CachedRead` re-reads after a few seconds for those.
 */
export class TableWrites implements KyselyPlugin {
  private readonly counts = new Map<string, number>();
  private readonly inFlight = new WeakMap<QueryId, string>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const table = writtenTable(args.node);
    if (table !== undefined) {
      this.bump(table);
      this.inFlight.set(args.queryId, table);
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const table = this.inFlight.get(args.queryId);
    if (table !== undefined) this.bump(table);
    return args.result;
  }

  /** A number that changes whenever one of these tables is written. */
  stamp(tables: readonly string[]): number {
    let sum = 0;
    for (const t of tables) sum += this.counts.get(t) ?? 0;
    return sum;
  }

  private bump(table: string): void {
    this.counts.set(table, (this.counts.get(table) ?? 0) + 1);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: any schema's handle carries the same plugin
export function tableWritesOf(db: Kysely<any>): TableWrites | undefined {
  return db.getExecutor().plugins.find((p): p is TableWrites => p instanceof TableWrites);
}

/** How long data read on every call may be served from memory at most (writes by other nodes). */
export const CACHED_READ_MAX_AGE_MS = 5000;

/**
 * The result of a read that every call makes (routes, extensions, settings), kept in memory until
 * one of `tables` is written through this process's handle or `maxAgeMs` has passed, whichever is
 * first. Reads at the same time share one query. Without a `TableWrites` on the handle every get
 * reads.
 */
export class CachedRead<T> {
  private readonly writes: TableWrites | undefined;
  private value: { data: T; stamp: number; at: number } | null = null;
  private loading: { promise: Promise<T>; stamp: number } | null = null;

  constructor(
    // biome-ignore lint/suspicious/noExplicitAny: any schema's handle
    db: Kysely<any>,
    private readonly tables: readonly string[],
    private readonly load: () => Promise<T>,
    private readonly maxAgeMs = CACHED_READ_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.writes = tableWritesOf(db);
  }

  get(): Promise<T> {
    if (!this.writes) return this.load();
    const stamp = this.writes.stamp(this.tables);
    const at = this.now();
    if (this.value && this.value.stamp === stamp && at - this.value.at < this.maxAgeMs)
      return Promise.resolve(this.value.data);
    if (this.loading?.stamp === stamp) return this.loading.promise;
    const promise = this.load().then((data) => {
      // A write while the query ran may not be in `data`: used once, not kept.
      if (this.writes!.stamp(this.tables) === stamp) this.value = { data, stamp, at };
      return data;
    });
    const loading = { promise, stamp };
    this.loading = loading;
    void promise.then(
      () => this.clearLoading(loading),
      () => this.clearLoading(loading),
    );
    return promise;
  }

  private clearLoading(loading: { promise: Promise<T>; stamp: number }): void {
    if (this.loading === loading) this.loading = null;
  }
}
