import type { Db } from '../db/database';
import type { Logger } from '../observability/logger';

/**
 * Writes "this node is alive" every few seconds. After an unclean stop, the last beat is when the
 * node's open calls really ended (within one interval); see `CallRecords.closeInterrupted`.
 */
export class NodeHeartbeat {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly nodeId: string,
    private readonly logger: Logger,
    private readonly intervalMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The node's last beat before this process started (null: it never beat). */
  async lastAlive(): Promise<number | null> {
    const row = await this.db
      .selectFrom('node_heartbeats')
      .select('alive_at')
      .where('node_id', '=', this.nodeId)
      .executeTakeFirst();
    return row ? Number(row.alive_at) : null;
  }

  async beat(): Promise<void> {
    const at = this.now();
    await this.db
      .insertInto('node_heartbeats')
      .values({ node_id: this.nodeId, alive_at: at })
      .onConflict((oc) => oc.column('node_id').doUpdateSet({ alive_at: at }))
      .execute();
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.beat()
        .catch((err) => this.logger.warn({ err }, 'node heartbeat not written'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    await this.beat().catch(() => {});
  }
}
