import {
  checkFlowDefinition,
  type FlowComponentType,
  type FlowDefinition,
  type FlowProblem,
  flowComponentLabels,
  flowComponentTypes,
} from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useReducer, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { SelectField } from '../../../components/select-field';
import { ApiRequestError } from '../../../lib/api-client';
import { errorMessage } from '../../../lib/field-errors';
import { browserTimeZone, formatDateTime } from '../../../lib/format';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import { useCurrentUser } from '../../auth/api/get-me';
import { useCallbackServiceChoices } from '../api/get-callback-service-choices';
import { useFlow } from '../api/get-flow';
import { flowLiveKey, useFlowLive } from '../api/get-flow-live';
import { useFlowPrompts } from '../api/get-flow-prompts';
import { useFlowVersions } from '../api/get-flow-versions';
import { useQueueChoices } from '../api/get-queue-choices';
import { usePlaceTestCall } from '../api/place-test-call';
import { usePublishFlow } from '../api/publish-flow';
import { useRestoreFlowVersion } from '../api/restore-flow-version';
import { useSaveFlow } from '../api/save-flow';
import { ComponentSettings } from '../components/component-settings';
import { FlowCanvas } from '../components/flow-canvas';
import { connect, history, newComponent, removeComponent, replaceComponent } from '../lib/flow-editing';

function publishProblems(error: unknown): FlowProblem[] {
  if (!(error instanceof ApiRequestError)) return [];
  return ((error.details as { problems?: FlowProblem[] } | undefined)?.problems ?? []) as FlowProblem[];
}

/** The canvas editor of one flow's draft: components, exits, settings, publish and versions. */
export function FlowEditorPage() {
  const id = Number(useParams().id);
  const flow = useFlow(id);
  const { data: user } = useCurrentUser();
  const readOnly = user?.role !== 'admin';
  const prompts = useFlowPrompts();
  const queues = useQueueChoices();
  const services = useCallbackServiceChoices(!readOnly);
  const versions = useFlowVersions(id);
  const save = useSaveFlow(id);
  const publish = usePublishFlow(id);
  const restore = useRestoreFlowVersion(id);
  const [state, dispatch] = useReducer(history, {
    past: [],
    present: { start: null, components: [] },
    future: [],
  });
  const [saved, setSaved] = useState<FlowDefinition | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [addType, setAddType] = useState<FlowComponentType>('play');
  const [notice, setNotice] = useState<string | null>(null);
  // Whose counts the canvas shows: a published version (the live one by default) or test calls.
  const [countsOf, setCountsOf] = useState<number | 'draft' | undefined>(undefined);
  const live = useFlowLive(id, countsOf);
  const testCall = usePlaceTestCall(id);
  const qc = useQueryClient();
  // The test call being followed: its id, the components it went through, and how it ended.
  const [test, setTest] = useState<{ callId: string; path: string[]; ended: string | null } | null>(null);
  useLiveEvent('flow_step', (e) => {
    if (e.flowId !== id) return;
    void qc.invalidateQueries({ queryKey: flowLiveKey(id) });
    const componentId = e.componentId;
    // Functional updates: several steps can arrive before the next render.
    if (e.step === 'enter' && componentId)
      setTest((t) => (t && t.callId === e.callId ? { ...t, path: [...t.path, componentId] } : t));
    else if (e.step === 'end')
      setTest((t) => (t && t.callId === e.callId ? { ...t, ended: componentId } : t));
  });

  // The draft from the server replaces the local one when it is loaded, saved, or restored.
  const serverDraft = flow.data?.draft;
  useEffect(() => {
    if (!serverDraft) return;
    dispatch({ type: 'reset', definition: serverDraft });
    setSaved(serverDraft);
  }, [serverDraft]);

  const def = state.present;
  const dirty = saved !== null && JSON.stringify(saved) !== JSON.stringify(def);
  // Live checks of the shared schemas while editing; the server's (prompt files, queues) once saved.
  const problems = useMemo(
    () => (dirty || !flow.data ? checkFlowDefinition(def) : flow.data.problems),
    [dirty, def, flow.data],
  );
  const problemCounts = useMemo(() => {
    const m = new Map<string, number>();
    for (const p of problems) if (p.componentId) m.set(p.componentId, (m.get(p.componentId) ?? 0) + 1);
    return m;
  }, [problems]);
  const edit = (definition: FlowDefinition) => dispatch({ type: 'edit', definition });

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

  if (flow.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (flow.isError) return <Alert tone="error">{errorMessage(flow.error)}</Alert>;
  const current = def.components.find((c) => c.id === selected) ?? null;

  const saveDraft = () =>
    save.mutateAsync({ definition: def }).then((f) => {
      setNotice(
        f.problems.length === 0 ? 'Draft saved.' : `Draft saved with ${f.problems.length} problem(s).`,
      );
      return f;
    });

  return (
    <div className="flex h-[calc(100vh-7.5rem)] flex-col gap-3">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p className="text-xs text-slate-500">
            <Link to="/flows" className="hover:underline">
              Call flows
            </Link>
          </p>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{flow.data.name}</h1>
          <p className="text-xs text-slate-500" data-testid="flow-status">
            {flow.data.publishedVersion ? `Published version ${flow.data.publishedVersion}` : 'Not published'}
            {flow.data.numbers.length > 0 ? ` · on ${flow.data.numbers.join(', ')}` : ''}
            {dirty ? ' · unsaved changes' : flow.data.draftChanged ? ' · draft not published' : ''}
            {readOnly ? ' · read-only' : ''}
          </p>
        </div>
        {readOnly ? null : (
          <div className="flex flex-wrap items-end gap-2">
            <SelectField
              label="Component"
              value={addType}
              onChange={(e) => setAddType(e.target.value as FlowComponentType)}
            >
              {flowComponentTypes.map((t) => (
                <option key={t} value={t}>
                  {flowComponentLabels[t]}
                </option>
              ))}
            </SelectField>
            <Button
              variant="secondary"
              onClick={() => {
                // New components fill a grid of three columns under what is there.
                const n = def.components.length;
                const c = newComponent(def, addType, { x: (n % 3) * 260, y: Math.floor(n / 3) * 180 });
                edit({ start: def.start ?? c.id, components: [...def.components, c] });
                setSelected(c.id);
              }}
            >
              Add
            </Button>
            <Button
              variant="ghost"
              onClick={() => dispatch({ type: 'undo' })}
              disabled={state.past.length === 0}
            >
              Undo
            </Button>
            <Button
              variant="ghost"
              onClick={() => dispatch({ type: 'redo' })}
              disabled={state.future.length === 0}
            >
              Redo
            </Button>
            <Button variant="secondary" onClick={() => void saveDraft()} disabled={!dirty || save.isPending}>
              Save draft
            </Button>
            <Button
              variant="secondary"
              disabled={testCall.isPending || dirty}
              title={dirty ? 'Save the draft first' : 'Rings your own extension and runs the draft'}
              onClick={() => {
                setNotice(null);
                testCall.mutate(undefined, {
                  onSuccess: (r) => {
                    setTest({ callId: r.callId, path: [], ended: null });
                    setCountsOf('draft');
                    setNotice('Test call: answer your phone; its path lights up on the canvas.');
                  },
                });
              }}
            >
              Test call
            </Button>
            <Button
              onClick={async () => {
                setNotice(null);
                if (dirty) await saveDraft();
                const res = await publish.mutateAsync().catch(() => null);
                if (res) setNotice(`Published version ${res.version}.`);
                void versions.refetch();
              }}
              disabled={publish.isPending}
            >
              Publish
            </Button>
          </div>
        )}
      </header>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {publish.isError ? <Alert tone="error">{errorMessage(publish.error)}</Alert> : null}
      {testCall.isError ? <Alert tone="error">{errorMessage(testCall.error)}</Alert> : null}
      <div className="flex items-center gap-2 text-xs text-slate-600">
        <label htmlFor="flow-counts-of">Today's counts (UTC) on the canvas:</label>
        <select
          id="flow-counts-of"
          className="rounded border border-slate-300 bg-white px-1.5 py-0.5"
          value={countsOf === undefined ? '' : String(countsOf)}
          onChange={(e) =>
            setCountsOf(
              e.target.value === ''
                ? undefined
                : e.target.value === 'draft'
                  ? 'draft'
                  : Number(e.target.value),
            )
          }
        >
          <option value="">
            {flow.data.publishedVersion ? `Published version ${flow.data.publishedVersion}` : 'Not published'}
          </option>
          {(versions.data ?? [])
            .filter((v) => v.version !== flow.data.publishedVersion)
            .map((v) => (
              <option key={v.version} value={v.version}>
                Version {v.version}
              </option>
            ))}
          <option value="draft">Test calls into the draft</option>
        </select>
        {live.data ? (
          <span data-testid="flow-counts-total">
            · {live.data.enteredToday[def.start ?? ''] ?? 0} started at the start component
          </span>
        ) : null}
      </div>
      {test ? (
        <p className="text-xs text-slate-600" data-testid="test-call-path">
          Test call: {test.path.length === 0 ? 'ringing your extension…' : test.path.join(' → ')}
          {test.ended !== null ? ' · ended' : ''}
        </p>
      ) : null}
      {save.isError ? <Alert tone="error">{errorMessage(save.error)}</Alert> : null}
      <div className="flex min-h-0 flex-1 gap-3">
        <div className="min-w-0 flex-1 rounded-lg bg-white ring-1 ring-slate-200">
          <ReactFlowProvider>
            <FlowCanvas
              definition={def}
              problemCounts={problemCounts}
              live={live.data ?? null}
              testPath={test?.path ?? []}
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
        <aside
          className="w-80 shrink-0 space-y-4 overflow-y-auto rounded-lg bg-white p-4 ring-1 ring-slate-200"
          aria-label="Component settings"
        >
          {current ? (
            <ComponentSettings
              component={current}
              definition={def}
              prompts={prompts.data ?? []}
              queues={queues.data ?? []}
              services={services.data ?? []}
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
          <section aria-label="Problems">
            <h2 className="text-sm font-semibold text-slate-900">
              {problems.length === 0 ? 'Ready to publish' : `${problems.length} problem(s)`}
            </h2>
            <ul className="mt-1 space-y-1 text-xs text-red-700">
              {(publishProblems(publish.error).length > 0 && !dirty
                ? publishProblems(publish.error)
                : problems
              ).map((p) => (
                <li key={`${p.componentId}-${p.field}-${p.message}`}>
                  {p.componentId ? (
                    <button
                      type="button"
                      className="text-left hover:underline"
                      onClick={() => setSelected(p.componentId)}
                    >
                      {p.message}
                    </button>
                  ) : (
                    p.message
                  )}
                </li>
              ))}
            </ul>
          </section>
          <section aria-label="Versions">
            <h2 className="text-sm font-semibold text-slate-900">Versions</h2>
            <ul className="mt-1 space-y-1 text-xs">
              {(versions.data ?? []).length === 0 ? (
                <li className="text-slate-500">None published yet.</li>
              ) : null}
              {(versions.data ?? []).map((v) => (
                <li key={v.version} className="flex items-center justify-between gap-2">
                  <span>
                    Version {v.version}
                    {v.version === flow.data.publishedVersion ? ' (live)' : ''} ·{' '}
                    {formatDateTime(v.publishedAt, user?.timeZone ?? browserTimeZone())}{' '}
                    {v.publishedBy ? `by ${v.publishedBy}` : ''}
                  </span>
                  {readOnly ? null : (
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Restore version ${v.version} into the draft`}
                      onClick={() =>
                        restore.mutate(v.version, {
                          onSuccess: () => setNotice(`Version ${v.version} restored into the draft.`),
                        })
                      }
                    >
                      Restore
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>
    </div>
  );
}
