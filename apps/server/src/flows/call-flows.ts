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

/** The sound library as flows use it: a sound's file by id. */
export interface FlowSounds {
  get(id: number): Promise<{ path: string } | null>;
  refuseRemovalWhen?(guard: (id: number) => Promise<string | null>): void;
}

/** How often counts taken by calls are added to the database (a crash loses at most this much). */
const COUNT_FLUSH_MS = 1000;

/** The version test calls into the draft are counted under (published versions start at 1). */
const DRAFT_VERSION = 0;

const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

export interface CallFlowsOptions {
  /** Where built-in prompts live (the media package's prompt set by default). */
  promptDir?: string;
  /** The clock time conditions read; a test moves it across an opening hour. */
  now?: () => number;
  /** Where calls' steps are published (supervisors see them live). */
  events?: EventBus;
  /** Uploaded sounds Play and Menu components may name. */
  sounds?: FlowSounds;
}

/** The uploaded sounds a definition plays (Play, Menu and Collect prompts, retries included). */
export function soundIdsOf(d: FlowDefinition): Set<number> {
  const ids = new Set<number>();
  for (const c of d.components) {
    const s = c.settings as { prompts?: unknown; retryPrompts?: unknown };
    for (const list of [s.prompts, s.retryPrompts])
      if (Array.isArray(list))
        for (const p of list as FlowPrompt[])
          if (p && typeof p === 'object' && 'sound' in p && typeof p.sound === 'number') ids.add(p.sound);
  }
  return ids;
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
    // A sound a flow plays is not deleted from under it: calls would go silent, the next publish fail.
    options.sounds?.refuseRemovalWhen?.(async (soundId) => {
      const names = await this.flowsUsingSound(soundId);
      return names.length === 0
        ? null
        : `The sound is played by the call flow${names.length > 1 ? 's' : ''} ${names.join(', ')}; take it out of ${names.length > 1 ? 'them' : 'it'} (and publish) first`;
    });
  }

  private readonly watchers = new Set<(a: FlowActivity) => void>();

  /** Sees every call's path through its flow as it happens (a live view of the canvas, tests). */
  watch(fn: (a: FlowActivity) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  /** Flow → call → the component the call is in now (this node). */
  private readonly where = new Map<number, Map<string, string>>();
  /** Counts not yet in the database: `flow|version|day|component|exit` → how many. */
  private unflushed = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  /** Adds the counts calls take to the database every second. */
  start(): void {
    this.flushTimer ??= setInterval(() => void this.flushCounts(), COUNT_FLUSH_MS);
    this.flushTimer.unref();
  }

  /** Writes the last counts (after the switch's calls have ended). */
  async stop(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushTimer = null;
    await this.flushCounts();
  }

  private count(flowId: number, version: number, day: string, componentId: string, exit: string): void {
    const key = [flowId, version, day, componentId, exit].join('|');
    this.unflushed.set(key, (this.unflushed.get(key) ?? 0) + 1);
  }

  /** Adds the counts taken since the last flush to the database (one upsert per row, every node adds). */
  flushCounts(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.unflushed.size === 0) return;
      const batch = this.unflushed;
      this.unflushed = new Map();
      try {
        await this.store.addCounts(
          [...batch].map(([key, n]) => {
            const [flowId, version, day, componentId, exit] = key.split('|') as [
              string,
              string,
              string,
              string,
              string,
            ];
            return { flowId: Number(flowId), version: Number(version), day, componentId, exit, n };
          }),
        );
      } catch {
        // The database is away for a moment: the counts wait for the next flush.
        for (const [key, n] of batch) this.unflushed.set(key, (this.unflushed.get(key) ?? 0) + n);
      }
    });
    return this.flushing;
  }

  /** @internal The runner reports a call's progress: counters, the live stream, watchers. */
  report(a: FlowActivity): void {
    const at = Date.now();
    let where = this.where.get(a.flowId);
    if (!where) {
      where = new Map();
      this.where.set(a.flowId, where);
    }
    if (a.kind === 'enter') where.set(a.callId, a.componentId);
    else if (a.kind === 'end') where.delete(a.callId);
    // Counts are kept per published version; test calls into the draft count as version 0.
    const version = a.version ?? DRAFT_VERSION;
    if (a.kind === 'enter') this.count(a.flowId, version, utcDay(at), a.componentId, '');
    else if (a.kind === 'step' && a.exit) this.count(a.flowId, version, utcDay(at), a.componentId, a.exit);
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

  /**
   * Calls in each component of the flow now (this node), and for `version` (null: the draft's test
   * calls) the calls that entered each component and left by each exit today (UTC, every node, from
   * the database).
   */
  async live(flowId: number, version: number | null): Promise<FlowLiveResponse> {
    await this.flushCounts();
    const today = utcDay(Date.now());
    const inComponent: Record<string, number> = {};
    for (const component of this.where.get(flowId)?.values() ?? [])
      inComponent[component] = (inComponent[component] ?? 0) + 1;
    const enteredToday: Record<string, number> = {};
    const exitsToday: Record<string, number> = {};
    for (const r of await this.store.counts(flowId, version ?? DRAFT_VERSION, today)) {
      if (r.exit === '') enteredToday[r.componentId] = r.count;
      else exitsToday[`${r.componentId}:${r.exit}`] = r.count;
    }
    return { day: today, version, inComponent, enteredToday, exitsToday };
  }

  /** The files of the uploaded sounds `d` plays, by id (the ones that still exist). */
  async soundFiles(d: FlowDefinition): Promise<Map<number, string>> {
    const files = new Map<number, string>();
    const sounds = this.options.sounds;
    if (!sounds) return files;
    for (const id of soundIdsOf(d)) {
      const found = await sounds.get(id);
      if (found) files.set(id, found.path);
    }
    return files;
  }

  /** Flows whose draft or published version plays the sound: its deletion is refused while any do. */
  async flowsUsingSound(soundId: number): Promise<string[]> {
    const names: string[] = [];
    for (const f of await this.store.definitionsInUse())
      if (f.definitions.some((d) => soundIdsOf(d).has(soundId))) names.push(f.name);
    return names;
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
    const services = new Set(
      (await this.db.selectFrom('callback_services').select('id').execute()).map((r) => r.id),
    );
    const soundIds = [...soundIdsOf(d)];
    const sounds = new Set(
      soundIds.length === 0
        ? []
        : (await this.db.selectFrom('sounds').select('id').where('id', 'in', soundIds).execute()).map(
            (r) => r.id,
          ),
    );
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
        else if ('sound' in p && !sounds.has(p.sound))
          add('prompts', `the uploaded sound ${p.sound} does not exist (deleted?)`);
      if (c.type === 'callback_service' && !services.has(s.serviceId as number))
        add('serviceId', `callback service ${String(s.serviceId)} does not exist`);
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
