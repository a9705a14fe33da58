import {
  type DispositionCode,
  type DispositionCodeInput,
  type DispositionCodeUpdate,
  type DispositionSettings,
  dispositionCodeInputSchema,
  type WrapUp,
  type WrapUpDisposition,
  wrapUpDispositionSchema,
} from '@switchboard/shared';
import type { AgentStateService } from '../agents/agent-state-service';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import { DispositionStore } from './disposition-store';

/** A refusal the routes turn into an HTTP error: `field` names the input at fault, if any. */
export class DispositionError extends Error {
  constructor(
    readonly kind: 'not_found' | 'invalid' | 'conflict',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface DispositionServiceOptions {
  db: Db;
  agents: AgentStateService;
  now?: () => number;
}

/**
 * Wrap-up after a queue call (docs/agent-desk.md, "Wrap-up"): the agent picks a disposition code
 * and writes a note, both written on the call's record; "Done" ends the wrap-up early and more time
 * can be asked for. A queue that requires a code keeps its agents in wrap-up until they pick one.
 */
export class DispositionService {
  private readonly store: DispositionStore;
  private readonly db: Db;
  private readonly agents: AgentStateService;
  private readonly now: () => number;

  constructor(options: DispositionServiceOptions) {
    this.db = options.db;
    this.store = new DispositionStore(options.db);
    this.agents = options.agents;
    this.now = options.now ?? (() => Date.now());
  }

  // --- administration ----------------------------------------------------------------------------

  async settings(): Promise<DispositionSettings> {
    const [codes, queues] = await Promise.all([this.store.allCodes(), this.store.queues()]);
    return { codes, queues };
  }

  async createCode(raw: DispositionCodeInput, actorId: number): Promise<DispositionCode> {
    const input = dispositionCodeInputSchema.parse(raw);
    if (input.queueId !== null && !(await this.store.queueExists(input.queueId)))
      throw new DispositionError('invalid', 'No such queue', 'queueId');
    if (await this.store.sameName(input.name, input.queueId))
      throw new DispositionError('conflict', `${input.name} is already a code here`, 'name');
    const code = await this.store.insert(input, this.now());
    await this.audit(actorId, 'disposition_code.create', code.id, undefined, code);
    return code;
  }

  async updateCode(id: number, patch: DispositionCodeUpdate, actorId: number): Promise<DispositionCode> {
    const before = await this.store.code(id);
    if (!before) throw new DispositionError('not_found', 'No such disposition code');
    if (patch.name !== undefined && (await this.store.sameName(patch.name, before.queueId, id)))
      throw new DispositionError('conflict', `${patch.name} is already a code here`, 'name');
    await this.store.update(id, patch);
    const after = (await this.store.code(id))!;
    await this.audit(actorId, 'disposition_code.update', id, before, after);
    return after;
  }

  async setRequired(queueId: number, required: boolean, actorId: number): Promise<void> {
    if (!(await this.store.queueExists(queueId))) throw new DispositionError('not_found', 'No such queue');
    await this.store.setRequired(queueId, required);
    await this.agents.reload();
    await this.audit(actorId, 'queue.disposition_required', queueId, undefined, { required });
  }

  // --- the agent's wrap-up ---------------------------------------------------------------------------

  /** The agent's wrap-up after a queue call, or null when they are not wrapping one up. */
  async wrapUp(userId: number): Promise<WrapUp | null> {
    const a = this.agents.board.get(userId);
    const wrap = a?.wrapCall;
    if (!a || !wrap || a.wrapUntil === null || wrap.callId === null) return null;
    const [codes, current] = await Promise.all([
      this.store.codesFor(wrap.queueId),
      this.store.callDisposition(wrap.callId),
    ]);
    return {
      callId: wrap.callId,
      queueId: wrap.queueId,
      queueName: this.agents.queueName(wrap.queueId),
      until: a.wrapUntil,
      required: this.agents.codeRequired(wrap.queueId),
      code: current?.code ?? null,
      note: current?.note ?? null,
      codes,
    };
  }

  /** Sets the code and note of the call being wrapped up (a required code can be changed, not removed). */
  async setDisposition(userId: number, raw: WrapUpDisposition): Promise<WrapUp | null> {
    const input = wrapUpDispositionSchema.parse(raw);
    const current = await this.wrapUp(userId);
    if (!current) throw new DispositionError('conflict', 'You are not wrapping up a call');
    let code: string | null = null;
    if (input.codeId !== null) {
      const chosen = current.codes.find((c) => c.id === input.codeId);
      if (!chosen)
        throw new DispositionError('invalid', `Not a code for ${current.queueName} calls`, 'codeId');
      code = chosen.name;
    } else if (current.required) {
      throw new DispositionError(
        'invalid',
        `Choose a disposition: ${current.queueName} requires one`,
        'codeId',
      );
    }
    const note = input.note === '' ? null : input.note;
    if (!(await this.store.setCallDisposition(current.callId, code, note)))
      throw new DispositionError('conflict', 'The call has no record to write on');
    if (code !== null) this.agents.board.markWrapCoded(userId);
    await this.audit(userId, 'wrapup.disposition', current.callId, undefined, { code, note });
    return this.wrapUp(userId);
  }

  async extend(userId: number, seconds: number): Promise<WrapUp | null> {
    if (!this.agents.board.extendWrapUp(userId, seconds))
      throw new DispositionError('conflict', 'You are not wrapping up a call');
    return this.wrapUp(userId);
  }

  /** "Done": free for the next call now. */
  async finish(userId: number): Promise<void> {
    const a = this.agents.board.get(userId);
    if (!a || a.wrapUntil === null) throw new DispositionError('conflict', 'You are not wrapping up a call');
    if (this.agents.board.codeMissing(a)) {
      const queue = a.wrapCall ? this.agents.queueName(a.wrapCall.queueId) : 'This queue';
      throw new DispositionError('conflict', `Choose a disposition first: ${queue} requires one`, 'codeId');
    }
    this.agents.board.finishWrapUp(userId);
  }

  private audit(actorId: number, action: string, entityId: number | string, before: unknown, after: unknown) {
    return recordAudit(
      this.db,
      {
        actor: { kind: 'user', id: actorId },
        action,
        entity: action.split('.')[0]!,
        entityId,
        ...(before === undefined ? {} : { before }),
        after,
      },
      this.now(),
    );
  }
}
