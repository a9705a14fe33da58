import {
  type CallFlow,
  emptyFlowDefinition,
  type FlowDefinition,
  type FlowProblem,
  type FlowSummary,
  type FlowVersion,
  flowDefinitionSchema,
} from '@switchboard/shared';
import type { Db } from '../db/database';

type FlowRow = {
  id: number;
  name: string;
  description: string | null;
  draft: string;
  published_version: number | null;
  updated_at: number;
};

/** A definition read back from the database; a row that no longer parses reads as empty. */
export function parseDefinition(text: string): FlowDefinition {
  try {
    const parsed = flowDefinitionSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : emptyFlowDefinition();
  } catch {
    return emptyFlowDefinition();
  }
}

/** Call flows and their published versions in the database (kysely, SQLite and PostgreSQL). */
export class FlowStore {
  constructor(private readonly db: Db) {}

  private async numbersOf(ids: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('inbound_routes')
      .select(['number', 'target_id'])
      .where('target_type', '=', 'flow')
      .orderBy('number')
      .execute();
    for (const r of rows) {
      const id = Number(r.target_id);
      if (!ids.includes(id)) continue;
      out.set(id, [...(out.get(id) ?? []), r.number]);
    }
    return out;
  }

  private async publishedTexts(ids: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('call_flow_versions')
      .innerJoin('call_flows', 'call_flows.id', 'call_flow_versions.flow_id')
      .select(['call_flow_versions.flow_id', 'call_flow_versions.definition'])
      .whereRef('call_flow_versions.version', '=', 'call_flows.published_version')
      .where('call_flow_versions.flow_id', 'in', ids)
      .execute();
    for (const r of rows) out.set(r.flow_id, r.definition);
    return out;
  }

  private summaries(rows: FlowRow[], numbers: Map<number, string[]>, published: Map<number, string>) {
    return rows.map(
      (r): FlowSummary => ({
        id: r.id,
        name: r.name,
        description: r.description,
        publishedVersion: r.published_version,
        draftChanged: r.published_version === null || published.get(r.id) !== r.draft,
        numbers: numbers.get(r.id) ?? [],
        updatedAt: Number(r.updated_at),
      }),
    );
  }

  async list(): Promise<FlowSummary[]> {
    const rows = await this.db.selectFrom('call_flows').selectAll().orderBy('name').execute();
    const ids = rows.map((r) => r.id);
    return this.summaries(rows, await this.numbersOf(ids), await this.publishedTexts(ids));
  }

  async row(id: number): Promise<FlowRow | undefined> {
    return this.db.selectFrom('call_flows').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async get(id: number, problems: (d: FlowDefinition) => Promise<FlowProblem[]>): Promise<CallFlow | null> {
    const row = await this.row(id);
    if (!row) return null;
    const [summary] = this.summaries([row], await this.numbersOf([id]), await this.publishedTexts([id]));
    const draft = parseDefinition(row.draft);
    return { ...summary!, draft, problems: await problems(draft) };
  }

  async create(input: { name: string; description: string | null; draft: FlowDefinition }, now: number) {
    const row = await this.db
      .insertInto('call_flows')
      .values({
        name: input.name,
        description: input.description,
        draft: JSON.stringify(input.draft),
        published_version: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async update(
    id: number,
    input: { name?: string; description?: string | null; draft?: FlowDefinition },
    now: number,
  ): Promise<void> {
    await this.db
      .updateTable('call_flows')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.draft !== undefined ? { draft: JSON.stringify(input.draft) } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('call_flow_versions').where('flow_id', '=', id).execute();
      await trx.deleteFrom('call_flows').where('id', '=', id).execute();
    });
  }

  /**
   * Publishes `definition` as the flow's next version. The version number comes from the table in
   * the same transaction and is unique per flow, so two publishes at once cannot share a number.
   */
  async publish(id: number, definition: FlowDefinition, by: number | null, now: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('call_flow_versions')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('flow_id', '=', id)
        .executeTakeFirst();
      const version = Number(last?.v ?? 0) + 1;
      await trx
        .insertInto('call_flow_versions')
        .values({
          flow_id: id,
          version,
          definition: JSON.stringify(definition),
          published_at: now,
          published_by: by,
        })
        .execute();
      await trx
        .updateTable('call_flows')
        .set({ published_version: version, updated_at: now })
        .where('id', '=', id)
        .execute();
      return version;
    });
  }

  async versions(id: number): Promise<FlowVersion[]> {
    const rows = await this.db
      .selectFrom('call_flow_versions')
      .leftJoin('users', 'users.id', 'call_flow_versions.published_by')
      .select([
        'call_flow_versions.version',
        'call_flow_versions.definition',
        'call_flow_versions.published_at',
        'users.username',
      ])
      .where('call_flow_versions.flow_id', '=', id)
      .orderBy('call_flow_versions.version', 'desc')
      .execute();
    return rows.map((r) => ({
      version: r.version,
      publishedAt: Number(r.published_at),
      publishedBy: r.username ?? null,
      definition: parseDefinition(r.definition),
    }));
  }

  async version(id: number, version: number): Promise<FlowDefinition | null> {
    const row = await this.db
      .selectFrom('call_flow_versions')
      .select('definition')
      .where('flow_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? parseDefinition(row.definition) : null;
  }

  /** The version calls into the flow use now, with its number; null while unpublished. */
  async published(id: number): Promise<{ version: number; definition: FlowDefinition } | null> {
    const row = await this.db
      .selectFrom('call_flows')
      .innerJoin('call_flow_versions', (j) =>
        j
          .onRef('call_flow_versions.flow_id', '=', 'call_flows.id')
          .onRef('call_flow_versions.version', '=', 'call_flows.published_version'),
      )
      .select(['call_flow_versions.version', 'call_flow_versions.definition'])
      .where('call_flows.id', '=', id)
      .executeTakeFirst();
    return row ? { version: row.version, definition: parseDefinition(row.definition) } : null;
  }

  async routedNumbers(id: number): Promise<string[]> {
    return (await this.numbersOf([id])).get(id) ?? [];
  }

  /** Adds counts taken by calls (every node adds to the same rows). */
  async addCounts(
    rows: Array<{
      flowId: number;
      version: number;
      day: string;
      componentId: string;
      exit: string;
      n: number;
    }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('call_flow_counts')
      .values(
        rows.map((r) => ({
          flow_id: r.flowId,
          version: r.version,
          day: r.day,
          component_id: r.componentId,
          exit: r.exit,
          count: r.n,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['flow_id', 'version', 'day', 'component_id', 'exit'])
          .doUpdateSet({ count: (eb) => eb('call_flow_counts.count', '+', eb.ref('excluded.count')) }),
      )
      .execute();
  }

  async counts(
    flowId: number,
    version: number,
    day: string,
  ): Promise<Array<{ componentId: string; exit: string; count: number }>> {
    const rows = await this.db
      .selectFrom('call_flow_counts')
      .select(['component_id', 'exit', 'count'])
      .where('flow_id', '=', flowId)
      .where('version', '=', version)
      .where('day', '=', day)
      .execute();
    return rows.map((r) => ({ componentId: r.component_id, exit: r.exit, count: Number(r.count) }));
  }

  /** Each flow's draft and published definition (what calls and the next publish would play). */
  async definitionsInUse(): Promise<Array<{ name: string; definitions: FlowDefinition[] }>> {
    const rows = await this.db
      .selectFrom('call_flows')
      .leftJoin('call_flow_versions', (j) =>
        j
          .onRef('call_flow_versions.flow_id', '=', 'call_flows.id')
          .onRef('call_flow_versions.version', '=', 'call_flows.published_version'),
      )
      .select(['call_flows.name', 'call_flows.draft', 'call_flow_versions.definition'])
      .orderBy('call_flows.name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      definitions: [r.draft, ...(r.definition ? [r.definition] : [])].map(parseDefinition),
    }));
  }
}
