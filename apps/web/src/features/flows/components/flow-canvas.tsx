import '@xyflow/react/dist/style.css';
import {
  exitLabel,
  type FlowComponent,
  type FlowDefinition,
  flowComponentLabels,
  flowExitIsOptional,
  flowExitNames,
} from '@switchboard/shared';
import {
  Background,
  type Connection,
  Controls,
  type Edge,
  Handle,
  type Node,
  type NodeChange,
  type NodeProps,
  Position,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { memo, useEffect, useMemo } from 'react';

type ComponentNode = Node<
  {
    component: FlowComponent;
    start: boolean;
    problems: number;
    /** Calls in the component now. */
    calls: number;
    /** Calls that entered it today (the counted version). */
    today: number;
    /** The test call is here now, or went through here. */
    path: 'current' | 'visited' | null;
  },
  'component'
>;

const typeColors: Record<string, string> = {
  play: 'border-sky-400',
  menu: 'border-violet-400',
  collect: 'border-violet-300',
  time_condition: 'border-amber-400',
  queue: 'border-emerald-500',
  extension: 'border-emerald-400',
  outside_number: 'border-emerald-300',
  hangup: 'border-slate-400',
  set_variable: 'border-slate-300',
  set_caller_id: 'border-slate-300',
  condition: 'border-amber-300',
  callback: 'border-rose-400',
  callback_service: 'border-rose-300',
};

const ComponentBox = memo(function ComponentBox({ data, selected }: NodeProps<ComponentNode>) {
  const c = data.component;
  const exits = flowExitNames(c.type, c.settings);
  return (
    <div
      className={`min-w-44 rounded-lg border-2 text-xs shadow-sm ${typeColors[c.type] ?? ''} ${selected ? 'ring-2 ring-brand-500' : ''} ${data.path === 'current' ? 'bg-amber-100 ring-4 ring-amber-400' : data.path === 'visited' ? 'bg-amber-50' : 'bg-white'}`}
      data-testid={`flow-node-${c.id}`}
      data-path={data.path ?? undefined}
    >
      <Handle type="target" position={Position.Top} className="!h-2.5 !w-2.5 !bg-slate-500" />
      <div className="border-slate-100 border-b px-3 py-1.5">
        <div className="flex items-center justify-between gap-2">
          <span className="font-semibold text-slate-900">{c.label || c.id}</span>
          {data.calls > 0 ? (
            <span
              className="rounded-full bg-emerald-600 px-1.5 py-0.5 text-[10px] font-semibold text-white"
              title="Calls in this component now"
            >
              {data.calls} in call
            </span>
          ) : null}
          {data.start ? (
            <span className="rounded bg-brand-600 px-1.5 py-0.5 text-[10px] font-semibold text-white">
              START
            </span>
          ) : null}
        </div>
        <div className="text-slate-500">
          {flowComponentLabels[c.type]}
          {data.today > 0 ? (
            <span className="ml-1 text-slate-600" title="Calls that entered this component today (UTC)">
              · {data.today} today
            </span>
          ) : null}
          {data.problems > 0 ? (
            <span className="ml-1 font-medium text-red-600">
              · {data.problems} problem{data.problems > 1 ? 's' : ''}
            </span>
          ) : null}
        </div>
      </div>
      {exits.length > 0 ? (
        <div className="flex justify-around gap-1 px-1 pt-1 pb-2">
          {exits.map((e) => (
            <div key={e} className="relative flex flex-col items-center px-1">
              <span
                className={`whitespace-nowrap ${
                  c.exits[e]
                    ? 'text-slate-600'
                    : flowExitIsOptional(c.type, e)
                      ? 'text-slate-400'
                      : 'text-red-600'
                }`}
                title={
                  !c.exits[e] && flowExitIsOptional(c.type, e) ? "Not wired: the queue's own rule" : undefined
                }
              >
                {exitLabel(e)}
              </span>
              <Handle
                id={e}
                type="source"
                position={Position.Bottom}
                className="!relative !left-auto !top-auto !mt-1 !h-2.5 !w-2.5 !translate-x-0 !translate-y-0 !bg-brand-600"
              />
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
});

const nodeTypes = { component: ComponentBox };

export function FlowCanvas({
  definition,
  problemCounts,
  live,
  testPath,
  selected,
  readOnly,
  onSelect,
  onMove,
  onConnect,
  onDelete,
}: {
  definition: FlowDefinition;
  problemCounts: Map<string, number>;
  /** Calls in each component now and exits taken today (`componentId:exit` → count). */
  live: {
    inComponent: Record<string, number>;
    enteredToday: Record<string, number>;
    exitsToday: Record<string, number>;
  } | null;
  /** The components a test call went through, the last being where it is now. */
  testPath: string[];
  selected: string | null;
  readOnly: boolean;
  onSelect: (id: string | null) => void;
  /** `done` is false while the node is being dragged. */
  onMove: (id: string, position: { x: number; y: number }, done: boolean) => void;
  onConnect: (from: string, exit: string, to: string | null) => void;
  onDelete: (id: string) => void;
}) {
  const nodes = useMemo<ComponentNode[]>(
    () =>
      definition.components.map((c) => ({
        id: c.id,
        type: 'component',
        position: c.position,
        selected: c.id === selected,
        data: {
          component: c,
          start: definition.start === c.id,
          problems: problemCounts.get(c.id) ?? 0,
          calls: live?.inComponent[c.id] ?? 0,
          today: live?.enteredToday[c.id] ?? 0,
          path: testPath.at(-1) === c.id ? 'current' : testPath.includes(c.id) ? 'visited' : null,
        },
        ariaLabel: `${flowComponentLabels[c.type]} ${c.label || c.id}`,
      })),
    [definition, selected, problemCounts, live, testPath],
  );
  const edges = useMemo<Edge[]>(
    () =>
      definition.components.flatMap((c) =>
        Object.entries(c.exits).flatMap(([exit, to]) =>
          to
            ? [
                {
                  id: `${c.id}:${exit}`,
                  source: c.id,
                  sourceHandle: exit,
                  target: to,
                  label: live?.exitsToday[`${c.id}:${exit}`]
                    ? `${exitLabel(exit)} · ${live.exitsToday[`${c.id}:${exit}`]} today`
                    : exitLabel(exit),
                  labelStyle: { fontSize: 10 },
                  animated:
                    testPath.includes(c.id) &&
                    testPath.includes(to) &&
                    testPath.indexOf(to) > testPath.indexOf(c.id),
                },
              ]
            : [],
        ),
      ),
    [definition, live, testPath],
  );
  // A component added (or removed) brings the whole flow back into view.
  const { fitView } = useReactFlow();
  const count = definition.components.length;
  useEffect(() => {
    if (count > 0) void fitView({ padding: 0.2, maxZoom: 1.2 });
  }, [count, fitView]);
  const onNodesChange = (changes: NodeChange<ComponentNode>[]) => {
    for (const ch of changes) {
      if (ch.type === 'position' && ch.position && !readOnly) onMove(ch.id, ch.position, !ch.dragging);
      if (ch.type === 'select' && ch.selected) onSelect(ch.id);
      if (ch.type === 'remove' && !readOnly) onDelete(ch.id);
    }
  };
  return (
    <div className="h-full w-full" data-testid="flow-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={(changes) => {
          if (readOnly) return;
          for (const ch of changes) {
            if (ch.type !== 'remove') continue;
            const [from, ...rest] = ch.id.split(':');
            onConnect(from!, rest.join(':'), null);
          }
        }}
        onConnect={(conn: Connection) => {
          if (!readOnly && conn.sourceHandle) onConnect(conn.source, conn.sourceHandle, conn.target);
        }}
        onPaneClick={() => onSelect(null)}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
