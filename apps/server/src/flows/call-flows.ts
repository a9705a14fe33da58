import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PROMPT_DIR, PromptPlayer } from '@switchboard/media';
import {
  type CallFlow,
  checkFlowDefinition,
  emptyFlowDefinition,
  type FlowCreateInput,
  type FlowDefinition,
  type FlowLiveResponse,
  type FlowProblem,
  type FlowPrompt,
  type FlowSummary,
  type FlowUpdateInput,
  type FlowVersion,
  flowComponentLabels,
  flowComponentSettingsSchemas,
  flowCreateSchema,
  flowUpdateSchema,
} from '@switchboard/shared';
import { isUniqueViolation } from '../admin/admin-helpers';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { EventBus } from '../events/event-bus';
import { ApiError } from '../http/api-error';
import type { FlowEnd } from './flow-runner';
import { FlowStore } from './flow-store';

/** A call moving through a flow: each component it leaves (and by which exit), then its end. */
export type FlowActivity =
  | { kind: 'enter'; callId: string; flowId: number; version: number | null; componentId: string }
  | {
      kind: 'step';
      callId: string;
      flowId: number;
      version: number | null;
      componentId: string;
      exit: string | null;
    }
  | { kind: 'end'; callId: string; flowId: number; version: number | null; end: FlowEnd };

/** A flow's live counters on this node. */
interface FlowCounters {
  /** Call → the component it is in. */
  where: Map<string, string>;
  day: string;
  exits: Map<string, number>;
}

const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

export interface CallFlowsOptions {
  /** Where built-in prompts live (the media package's prompt set by default). */
  promptDir?: string;
  /** The clock time conditions read; a test moves it across an opening hour. */
  now?: () => number;
  /** Where calls' steps are published (supervisors see them live). */
  events?: EventBus;
}

/**
 * Call flows: drafts edited freely, validated and published as numbered versions that never change;
 * inbound calls run the published version (see flow-runner.ts). Every change is audited.
 */
export class CallFlows {
  readonly store: FlowStore;
  readonly promptDir: string;
  /** The clock time conditions read. */
  now: () => number;

  constructor(
    private readonly db: Db,
    private readonly options: CallFlowsOptions = {},
  ) {
    this.store = new FlowStore(db);
    this.promptDir = options.promptDir ?? DEFAULT_PROMPT_DIR;
    this.now = options.now ?? Date.now;
  }

  private readonly watchers = new Set<(a: FlowActivity) => void>();

  /** Sees every call's path through its flow as it happens (a live view of the canvas, tests). */
  watch(fn: (a: FlowActivity) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  private readonly counters = new Map<number, FlowCounters>();

  /** @internal The runner reports a call's progress: counters, the live stream, watchers. */
  report(a: FlowActivity): void {
    const at = Date.now();
    let c = this.counters.get(a.flowId);
    if (!c) {
      c = { where: new Map(), day: utcDay(at), exits: new Map() };
      this.counters.set(a.flowId, c);
    }
    if (c.day !== utcDay(at)) {
      c.day = utcDay(at);
      c.exits.clear();
    }
    if (a.kind === 'enter') c.where.set(a.callId, a.componentId);
    else if (a.kind === 'end') c.where.delete(a.callId);
    else if (a.exit)
      c.exits.set(`${a.componentId}:${a.exit}`, (c.exits.get(`${a.componentId}:${a.exit}`) ?? 0) + 1);
    this.options.events?.publish(
      {
        type: 'flow_step',
        callId: a.callId,
        flowId: a.flowId,
        version: a.version,
        componentId: a.kind === 'end' ? a.end.componentId : a.componentId,
        step: a.kind === 'enter' ? 'enter' : a.kind === 'step' ? 'exit' : 'end',
        exit: a.kind === 'step' ? a.exit : null,
        at,
      },
      { minRole: 'supervisor' },
    );
    for (const w of this.watchers) w(a);
  }

  /** Calls in each component of the flow now, and exits taken today (UTC), on this node. */
  live(flowId: number): FlowLiveResponse {
    const c = this.counters.get(flowId);
    const today = utcDay(Date.now());
    const inComponent: Record<string, number> = {};
    for (const component of c?.where.values() ?? [])
      inComponent[component] = (inComponent[component] ?? 0) + 1;
    return {
      day: today,
      inComponent,
      exitsToday: c && c.day === today ? Object.fromEntries(c.exits) : {},
    };
  }

  /** Built-in prompts a component may play. */
  prompts(): string[] {
    return new PromptPlayer({ dir: this.promptDir }).names();
  }

  promptExists(name: string): boolean {
    return /^[a-z0-9][a-z0-9-]*$/.test(name) && existsSync(path.join(this.promptDir, `${name}.wav`));
  }

  /** The 422 answer listing what stops the draft from being published (or tested). */
  problemsError(problems: FlowProblem[], what: 'published' | 'tested' = 'published'): ApiError {
    return new ApiError(
      422,
      'flow_invalid',
      `The flow cannot be ${what}: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      {
        problems,
        fields: problems.map((p) => ({ field: p.componentId ?? p.field ?? 'flow', message: p.message })),
      },
    );
  }

  /** Everything that stops `d` from being published, each naming its component. */
  async problems(d: FlowDefinition): Promise<FlowProblem[]> {
    const problems = checkFlowDefinition(d);
    const queues = new Set((await this.db.selectFrom('queues').select('id').execute()).map((q) => q.id));
    const extensions = new Set(
      (await this.db.selectFrom('extensions').select('number').execute()).map((e) => e.number),
    );
    const trunks = new Set((await this.db.selectFrom('trunks').select('id').execute()).map((t) => t.id));
    for (const c of d.components) {
      const name = c.label ? `${c.label} (${c.id})` : `${flowComponentLabels[c.type]} ${c.id}`;
      const add = (field: string, message: string) =>
        problems.push({ componentId: c.id, field, message: `${name}: ${message}` });
      const parsed = flowComponentSettingsSchemas[c.type].safeParse(c.settings);
      if (!parsed.success) continue;
      const s = parsed.data as Record<string, unknown>;
      const prompts = [
        ...((s.prompts as FlowPrompt[] | undefined) ?? []),
        ...((s.retryPrompts as FlowPrompt[] | undefined) ?? []),
      ];
      for (const p of prompts)
        if ('prompt' in p && !this.promptExists(p.prompt))
          add('prompts', `the prompt ${p.prompt} does not exist`);
      if (c.type === 'queue' && !queues.has(s.queueId as number))
        add('queueId', `queue ${String(s.queueId)} does not exist`);
      if ((c.type === 'extension' || (c.type === 'callback' && s.method === 'extension')) && s.extension)
        if (!extensions.has(s.extension as string))
          add('extension', `extension ${String(s.extension)} does not exist`);
      if (s.trunkId != null && !trunks.has(s.trunkId as number))
        add('trunkId', `trunk ${String(s.trunkId)} does not exist`);
    }
    return problems;
  }

  list(): Promise<FlowSummary[]> {
    return this.store.list();
  }

  async get(id: number): Promise<CallFlow> {
    const flow = await this.store.get(id, (d) => this.problems(d));
    if (!flow) throw ApiError.notFound('No such call flow');
    return flow;
  }

  async create(raw: FlowCreateInput, actor: number): Promise<CallFlow> {
    const input = flowCreateSchema.parse(raw);
    const now = Date.now();
    const id = await this.store
      .create(
        {
          name: input.name,
          description: input.description,
          draft: input.definition ?? emptyFlowDefinition(),
        },
        now,
      )
      .catch(this.nameTaken(input.name));
    await recordAudit(this.db, {
      actor: { kind: 'user', id: actor },
      action: 'call_flow.create',
      entity: 'call_flow',
      entityId: id,
      after: { name: input.name },
    });
    return this.get(id);
  }

  async update(id: number, raw: FlowUpdateInput, actor: number): Promise<CallFlow> {
    const input = flowUpdateSchema.parse(raw);
    const before = await this.store.row(id);
    if (!before) throw ApiError.notFound('No such call flow');
    await this.store
      .update(id, { name: input.name, description: input.description, draft: input.definition }, Date.now())
      .catch(this.nameTaken(input.name ?? before.name));
    await recordAudit(this.db, {
      actor: { kind: 'user', id: actor },
      action: 'call_flow.update',
      entity: 'call_flow',
      entityId: id,
      before: { name: before.name },
      after: { name: input.name ?? before.name, draftChanged: input.definition !== undefined },
    });
    return this.get(id);
  }

  /** A flow some number is routed to stays: the route would lose its target. */
  async delete(id: number, actor: number): Promise<void> {
    const before = await this.store.row(id);
    if (!before) throw ApiError.notFound('No such call flow');
    const numbers = await this.store.routedNumbers(id);
    if (numbers.length > 0)
      throw ApiError.conflict(
        `Inbound numbers are routed to this flow (${numbers.join(', ')}); route them elsewhere first`,
      );
    await this.store.delete(id);
    await recordAudit(this.db, {
      actor: { kind: 'user', id: actor },
      action: 'call_flow.delete',
      entity: 'call_flow',
      entityId: id,
      before: { name: before.name },
    });
  }

  /** Validates the draft and publishes it as the next version; calls already in the flow keep theirs. */
  async publish(id: number, actor: number): Promise<{ version: number; flow: CallFlow }> {
    const flow = await this.get(id);
    if (flow.problems.length > 0) throw this.problemsError(flow.problems);
    const version = await this.store.publish(id, flow.draft, actor, Date.now());
    await recordAudit(this.db, {
      actor: { kind: 'user', id: actor },
      action: 'call_flow.publish',
      entity: 'call_flow',
      entityId: id,
      after: { version },
    });
    return { version, flow: await this.get(id) };
  }

  async versions(id: number): Promise<FlowVersion[]> {
    if (!(await this.store.row(id))) throw ApiError.notFound('No such call flow');
    return this.store.versions(id);
  }

  /** Copies a published version into the draft (publish it again to make calls use it). */
  async restore(id: number, version: number, actor: number): Promise<CallFlow> {
    if (!(await this.store.row(id))) throw ApiError.notFound('No such call flow');
    const definition = await this.store.version(id, version);
    if (!definition) throw ApiError.notFound(`The flow has no version ${version}`);
    await this.store.update(id, { draft: definition }, Date.now());
    await recordAudit(this.db, {
      actor: { kind: 'user', id: actor },
      action: 'call_flow.restore',
      entity: 'call_flow',
      entityId: id,
      after: { version },
    });
    return this.get(id);
  }

  private nameTaken(name: string) {
    return (err: unknown): never => {
      if (isUniqueViolation(err)) throw ApiError.conflict(`A call flow named ${name} already exists`);
      throw err;
    };
  }
}
