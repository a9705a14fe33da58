import { type Dispatch, useEffect } from 'react';
import type { HistoryAction } from '../lib/flow-editing';

/** Ctrl/⌘+Z undoes, Ctrl/⌘+Y or Ctrl/⌘+Shift+Z redoes, except while typing in a field. */
export function useUndoRedoKeys(readOnly: boolean, dispatch: Dispatch<HistoryAction>): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a reducer's dispatch never changes
  useEffect(() => {
    if (readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) dispatch({ type: 'undo' });
      else if (key === 'y' || (key === 'z' && e.shiftKey)) dispatch({ type: 'redo' });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [readOnly]);
}
