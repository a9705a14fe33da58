import type { FlowComponent, FlowDefinition, FlowProblem, FlowVersionsResponse } from '@switchboard/shared';
import { connect, removeComponent, replaceComponent } from '../lib/flow-editing';
import { ComponentSettings } from './component-settings';
import { FlowProblemsList } from './flow-problems-list';
import { FlowVersionsList } from './flow-versions-list';

/** Beside the canvas: the selected component's settings, the flow's problems, and its versions. */
export function FlowSidePanel({
  current,
  def,
  choices,
  readOnly,
  problems,
  shownProblems,
  edit,
  setSelected,
  versions,
  publishedVersion,
  timeZone,
  onRestore,
}: {
  current: FlowComponent | null;
  def: FlowDefinition;
  choices: {
    prompts: string[];
    queues: Array<{ id: number; name: string }>;
    services: Array<{ id: number; name: string }>;
  };
  readOnly: boolean;
  problems: FlowProblem[];
  /** The publish refusal's problems, or `problems`. */
  shownProblems: FlowProblem[];
  edit: (definition: FlowDefinition) => void;
  setSelected: (componentId: string | null) => void;
  versions: FlowVersionsResponse['versions'];
  publishedVersion: number | null;
  timeZone: string;
  onRestore: (version: number) => void;
}) {
  return (
    <aside
      className="w-80 shrink-0 space-y-4 overflow-y-auto rounded-lg bg-white p-4 ring-1 ring-slate-200"
      aria-label="Component settings"
    >
      {current ? (
        <ComponentSettings
          component={current}
          definition={def}
          prompts={choices.prompts}
          queues={choices.queues}
          services={choices.services}
          readOnly={readOnly}
          problems={problems.filter((p) => p.componentId === current.id).map((p) => p.message)}
          onChange={(c) => edit(replaceComponent(def, c))}
          onConnect={(exit, to) => edit(connect(def, current.id, exit, to))}
          onStart={() => edit({ ...def, start: current.id })}
          onDelete={() => {
            edit(removeComponent(def, current.id));
            setSelected(null);
          }}
        />
      ) : (
        <p className="text-sm text-slate-500">
          {readOnly
            ? 'Select a component to see its settings.'
            : 'Select a component to edit it, or add one. Drag from an exit to a component to connect them.'}
        </p>
      )}
      <FlowProblemsList count={problems.length} shown={shownProblems} onSelect={setSelected} />
      <FlowVersionsList
        versions={versions}
        publishedVersion={publishedVersion}
        timeZone={timeZone}
        readOnly={readOnly}
        onRestore={onRestore}
      />
    </aside>
  );
}
