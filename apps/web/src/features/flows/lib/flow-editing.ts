import {
  type FlowComponent,
  type FlowComponentType,
  type FlowDefinition,
  flowComponentLabels,
  flowExitNames,
} from '@switchboard/shared';

/** Settings a new component of each type starts with (valid, except the choices a person must make). */
export function defaultSettings(type: FlowComponentType): Record<string, unknown> {
  switch (type) {
    case 'play':
      return { prompts: [{ prompt: 'welcome' }] };
    case 'menu':
      return {
        prompts: [{ prompt: 'welcome' }],
        choices: ['1', '2'],
        timeoutS: 5,
        attempts: 2,
        retryPrompts: [],
      };
    case 'collect':
      return {
        prompts: [{ prompt: 'enter-pin' }],
        variable: 'digits',
        maxDigits: 4,
        terminator: '#',
        firstDigitTimeoutS: 8,
        interDigitTimeoutS: 4,
      };
    case 'time_condition':
      return {
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
        hours: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
        holidays: [],
      };
    case 'queue':
      return { queueId: 0, priority: 'normal', maxWaitS: null };
    case 'extension':
      return { extension: '', ringTimeoutS: 30 };
    case 'outside_number':
      return { number: '', trunkId: null, ringTimeoutS: 30 };
    case 'hangup':
      return {};
    case 'set_variable':
      return { variable: 'name', value: '' };
    case 'set_caller_id':
      return { number: '', name: null };
    case 'condition':
      return { subject: 'caller', operator: 'starts_with', value: '' };
    case 'callback':
      return {
        method: 'caller',
        trunkId: null,
        number: null,
        extension: null,
        callerId: null,
        delayS: 5,
        timeoutS: 10,
        ringTimeoutS: 30,
      };
    case 'callback_service':
      return {};
  }
}

export function newComponent(
  def: FlowDefinition,
  type: FlowComponentType,
  position: { x: number; y: number },
) {
  const base = type.replace(/_/g, '-');
  let n = 1;
  while (def.components.some((c) => c.id === `${base}-${n}`)) n++;
  const settings = defaultSettings(type);
  const component: FlowComponent = {
    id: `${base}-${n}`,
    type,
    label: `${flowComponentLabels[type]} ${n}`,
    position,
    settings,
    exits: Object.fromEntries(flowExitNames(type, settings).map((e) => [e, null])),
  };
  return component;
}

/** A component with its exits matching its settings (a menu's keys may have changed). */
export function withExits(c: FlowComponent): FlowComponent {
  const names = flowExitNames(c.type, c.settings);
  return { ...c, exits: Object.fromEntries(names.map((e) => [e, c.exits[e] ?? null])) };
}

export function replaceComponent(def: FlowDefinition, c: FlowComponent): FlowDefinition {
  return { ...def, components: def.components.map((x) => (x.id === c.id ? withExits(c) : x)) };
}

/** Removes a component and every exit that led to it. */
export function removeComponent(def: FlowDefinition, id: string): FlowDefinition {
  return {
    start: def.start === id ? null : def.start,
    components: def.components
      .filter((c) => c.id !== id)
      .map((c) => ({
        ...c,
        exits: Object.fromEntries(Object.entries(c.exits).map(([k, v]) => [k, v === id ? null : v])),
      })),
  };
}

export function connect(def: FlowDefinition, from: string, exit: string, to: string | null): FlowDefinition {
  return {
    ...def,
    components: def.components.map((c) => (c.id === from ? { ...c, exits: { ...c.exits, [exit]: to } } : c)),
  };
}

/** Undo/redo over drafts: every edit pushes the previous draft. */
export interface History {
  past: FlowDefinition[];
  present: FlowDefinition;
  future: FlowDefinition[];
}

export type HistoryAction =
  | { type: 'reset'; definition: FlowDefinition }
  | { type: 'edit'; definition: FlowDefinition }
  /** A change that does not get its own undo step (a node being dragged). */
  | { type: 'amend'; definition: FlowDefinition }
  | { type: 'undo' }
  | { type: 'redo' };

export function history(state: History, action: HistoryAction): History {
  switch (action.type) {
    case 'reset':
      return { past: [], present: action.definition, future: [] };
    case 'edit':
      return { past: [...state.past, state.present].slice(-100), present: action.definition, future: [] };
    case 'amend':
      return { ...state, present: action.definition };
    case 'undo': {
      const prev = state.past.at(-1);
      if (!prev) return state;
      return { past: state.past.slice(0, -1), present: prev, future: [state.present, ...state.future] };
    }
    case 'redo': {
      const next = state.future[0];
      if (!next) return state;
      return { past: [...state.past, state.present], present: next, future: state.future.slice(1) };
    }
  }
}
