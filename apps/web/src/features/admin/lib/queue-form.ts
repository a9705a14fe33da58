import { type VirtualHoldMode, virtualHoldDefaults } from '@switchboard/shared';
import type { AdminQueue, OverflowType } from '../api/get-queues';
import type { QueueBody } from '../api/save-queue';

/** The queue dialog's boxes, as typed (numbers stay strings until sent). */
export type QueueForm = {
  name: string;
  strategy: string;
  ringTimeoutS: string;
  retryDelayS: string;
  wrapupS: string;
  maxNoAnswer: string;
  maxWaitS: string;
  overflowType: OverflowType | '';
  overflowTarget: string;
  maxLength: string;
  holdMusic: string;
  announceIntervalS: string;
  serviceLevelS: string;
  serviceLevelTargetPercent: string;
  callerId: string;
  vhEnabled: 'on' | 'off';
  vhThresholdS: string;
  vhMode: VirtualHoldMode;
  vhMaxAttempts: string;
  vhRetryDelayS: string;
};

/** The defaults of a new queue are the server's (packages/shared queueInputSchema). */
export function queueFormOf(q: AdminQueue | null): QueueForm {
  return {
    name: q?.name ?? '',
    strategy: q?.strategy ?? 'longest-idle',
    ringTimeoutS: String(q?.ringTimeoutS ?? 20),
    retryDelayS: String(q?.retryDelayS ?? 2),
    wrapupS: String(q?.wrapupS ?? 10),
    maxNoAnswer: String(q?.maxNoAnswer ?? 3),
    maxWaitS: String(q?.maxWaitS ?? 600),
    overflowType: q?.overflow.type ?? '',
    overflowTarget: q?.overflow.target ?? '',
    maxLength: String(q?.maxLength ?? 0),
    holdMusic: q?.holdMusic ?? '',
    announceIntervalS: String(q?.announceIntervalS ?? 60),
    serviceLevelS: String(q?.serviceLevelS ?? 20),
    serviceLevelTargetPercent: String(q?.serviceLevelTargetPercent ?? 80),
    callerId: q?.callerId ?? '',
    vhEnabled: q?.virtualHold.enabled ? 'on' : 'off',
    vhThresholdS: String(q?.virtualHold.thresholdS ?? virtualHoldDefaults.thresholdS),
    vhMode: q?.virtualHold.mode ?? virtualHoldDefaults.mode,
    vhMaxAttempts: String(q?.virtualHold.maxAttempts ?? virtualHoldDefaults.maxAttempts),
    vhRetryDelayS: String(q?.virtualHold.retryDelayS ?? virtualHoldDefaults.retryDelayS),
  };
}

/** An empty box is sent as null so the server names the field, rather than silently meaning 0. */
const num = (v: string) => (v.trim() === '' ? null : Number(v));

/** The form → the body the server validates (`queueId` set when editing). */
export function queueBodyOf(f: QueueForm, queueId: number | undefined): QueueBody {
  const overflowType = f.overflowType || null;
  return {
    ...(queueId !== undefined ? { id: queueId } : {}),
    name: f.name,
    strategy: f.strategy as QueueBody['strategy'],
    ringTimeoutS: num(f.ringTimeoutS),
    retryDelayS: num(f.retryDelayS),
    wrapupS: num(f.wrapupS),
    maxNoAnswer: num(f.maxNoAnswer),
    maxWaitS: num(f.maxWaitS),
    overflow: {
      type: overflowType,
      target: overflowType === 'queue' || overflowType === 'extension' ? f.overflowTarget || null : null,
    },
    maxLength: num(f.maxLength),
    holdMusic: f.holdMusic || null,
    announceIntervalS: num(f.announceIntervalS),
    serviceLevelS: num(f.serviceLevelS),
    serviceLevelTargetPercent: num(f.serviceLevelTargetPercent),
    callerId: f.callerId.trim() || null,
    virtualHold: {
      enabled: f.vhEnabled === 'on',
      // Empty boxes go as null so the server names the field (see `num`).
      thresholdS: num(f.vhThresholdS) as number,
      mode: f.vhMode,
      maxAttempts: num(f.vhMaxAttempts) as number,
      retryDelayS: num(f.vhRetryDelayS) as number,
    },
  };
}
