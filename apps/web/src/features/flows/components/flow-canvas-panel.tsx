import { ReactFlowProvider } from '@xyflow/react';
import type { ComponentProps } from 'react';
import type { useFlowDraft } from '../hooks/use-flow-draft';
import { connect, removeComponent, replaceComponent } from '../lib/flow-editing';
import { FlowCanvas } from './flow-canvas';

/** The canvas with its edits: moving a component (one undo step per drag), connecting, deleting. */
export function FlowCanvasPanel({
  draft,
  live,
  testPath,
  selected,
  readOnly,
  setSelected,
}: {
  draft: Pick<ReturnType<typeof useFlowDraft>, 'def' | 'problemCounts' | 'dispatch' | 'edit'>;
  live: ComponentProps<typeof FlowCanvas>['live'];
  testPath: string[];
  selected: string | null;
  readOnly: boolean;
  setSelected: (componentId: string | null) => void;
}) {
  const { def, problemCounts, dispatch, edit } = draft;
  return (
    <div className="min-w-0 flex-1 rounded-lg bg-white ring-1 ring-slate-200">
      <ReactFlowProvider>
        <FlowCanvas
          definition={def}
          problemCounts={problemCounts}
          live={live}
          testPath={testPath}
          selected={selected}
          readOnly={readOnly}
          onSelect={setSelected}
          onMove={(cid, position, done) => {
            const c = def.components.find((x) => x.id === cid);
            if (!c) return;
            dispatch({
              type: done ? 'edit' : 'amend',
              definition: replaceComponent(def, { ...c, position }),
            });
          }}
          onConnect={(from, exit, to) => edit(connect(def, from, exit, to))}
          onDelete={(cid) => {
            edit(removeComponent(def, cid));
            setSelected(null);
          }}
        />
      </ReactFlowProvider>
    </div>
  );
}
