import { checkFlowDefinition, type FlowDefinition, type FlowProblem } from '@switchboard/shared';
import { useEffect, useMemo, useReducer, useState } from 'react';
import { history } from '../lib/flow-editing';

/**
 * The draft being edited, with undo and redo: replaced by the server's when that is loaded, saved or
 * restored; dirty while it differs from the last saved one. Its problems are the shared schemas'
 * live checks while editing, the server's (prompt files, queues) once saved.
 */
export function useFlowDraft(server: { draft: FlowDefinition; problems: FlowProblem[] } | undefined) {
  const [state, dispatch] = useReducer(history, {
    past: [],
    present: { start: null, components: [] },
    future: [],
  });
  const [saved, setSaved] = useState<FlowDefinition | null>(null);

  const serverDraft = server?.draft;
  useEffect(() => {
    if (!serverDraft) return;
    dispatch({ type: 'reset', definition: serverDraft });
    setSaved(serverDraft);
  }, [serverDraft]);

  const def = state.present;
  const dirty = saved !== null && JSON.stringify(saved) !== JSON.stringify(def);
  const problems = useMemo(
    () => (dirty || !server ? checkFlowDefinition(def) : server.problems),
    [dirty, def, server],
  );
  const problemCounts = useMemo(() => {
    const m = new Map<string, number>();
    for (const p of problems) if (p.componentId) m.set(p.componentId, (m.get(p.componentId) ?? 0) + 1);
    return m;
  }, [problems]);
  const edit = (definition: FlowDefinition) => dispatch({ type: 'edit', definition });
  return { state, dispatch, def, dirty, problems, problemCounts, edit };
}
