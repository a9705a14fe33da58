import { useEffect, useRef } from 'react';

/**
 * Keyboard shortcuts of the desk. Every one is Alt + a letter (matched by physical key, so it works
 * on any keyboard layout and on macOS, where Alt changes the character), and works wherever the
 * focus is. Features register what an action does while they can do it; the help dialog lists them.
 */
export type HotkeyAction =
  | 'answer'
  | 'decline'
  | 'hangUp'
  | 'hold'
  | 'mute'
  | 'transfer'
  | 'consult'
  | 'ready'
  | 'pause'
  | 'wrapUpDone'
  | 'help';

export const hotkeyList: { action: HotkeyAction; code: string; keys: string; label: string }[] = [
  { action: 'answer', code: 'KeyA', keys: 'Alt+A', label: 'Answer the incoming call' },
  { action: 'decline', code: 'KeyD', keys: 'Alt+D', label: 'Decline the incoming call' },
  { action: 'hangUp', code: 'KeyH', keys: 'Alt+H', label: 'Hang up' },
  { action: 'hold', code: 'KeyO', keys: 'Alt+O', label: 'Hold or resume' },
  { action: 'mute', code: 'KeyM', keys: 'Alt+M', label: 'Mute or unmute' },
  { action: 'transfer', code: 'KeyT', keys: 'Alt+T', label: 'Transfer the call' },
  { action: 'consult', code: 'KeyC', keys: 'Alt+C', label: 'Consult someone' },
  { action: 'ready', code: 'KeyR', keys: 'Alt+R', label: 'Go idle (ready for calls)' },
  { action: 'pause', code: 'KeyP', keys: 'Alt+P', label: 'Pause (choose the reason)' },
  { action: 'wrapUpDone', code: 'KeyW', keys: 'Alt+W', label: 'Wrap-up done (saves the code and note)' },
  { action: 'help', code: 'Slash', keys: 'Alt+/', label: 'Show these shortcuts' },
];

/** Returns true when it did something (the key is then not passed on to the page). */
type Handler = () => boolean;

const handlers = new Map<HotkeyAction, Handler[]>();

/** While mounted, `handler` does `action`; the latest mounted handler that acts wins. */
export function useHotkey(action: HotkeyAction, handler: Handler): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const h: Handler = () => ref.current();
    const list = handlers.get(action) ?? [];
    list.push(h);
    handlers.set(action, list);
    return () => {
      const now = handlers.get(action) ?? [];
      now.splice(now.indexOf(h), 1);
    };
  }, [action]);
}

/** Runs the action's handlers, newest first, until one acts. */
export function runHotkey(action: HotkeyAction): boolean {
  for (const h of [...(handlers.get(action) ?? [])].reverse()) if (h()) return true;
  return false;
}

/** The one keydown listener on the window; returns its removal. */
export function installHotkeys(target: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (!e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
    const hit = hotkeyList.find((k) => k.code === e.code);
    if (hit && runHotkey(hit.action)) e.preventDefault();
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
