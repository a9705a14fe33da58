import type { FlowComponentType, FlowProblem } from '@switchboard/shared';
import { useState } from 'react';
import { useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { ApiRequestError } from '../../../lib/api-client';
import { errorMessage } from '../../../lib/field-errors';
import { browserTimeZone } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { useCallbackServiceChoices } from '../api/get-callback-service-choices';
import { useFlow } from '../api/get-flow';
import { useFlowLive } from '../api/get-flow-live';
import { useFlowPrompts } from '../api/get-flow-prompts';
import { useFlowVersions } from '../api/get-flow-versions';
import { useQueueChoices } from '../api/get-queue-choices';
import { usePlaceTestCall } from '../api/place-test-call';
import { usePublishFlow } from '../api/publish-flow';
import { useRestoreFlowVersion } from '../api/restore-flow-version';
import { useSaveFlow } from '../api/save-flow';
import { FlowCanvasPanel } from '../components/flow-canvas-panel';
import { type CountsOf, FlowCountsSelect } from '../components/flow-counts-select';
import { FlowEditorHeader } from '../components/flow-editor-header';
import { FlowEditorToolbar } from '../components/flow-editor-toolbar';
import { FlowSidePanel } from '../components/flow-side-panel';
import { TestCallPath } from '../components/test-call-path';
import { useFlowDraft } from '../hooks/use-flow-draft';
import { type FollowedTestCall, useFollowedTestCall } from '../hooks/use-followed-test-call';
import { useUndoRedoKeys } from '../hooks/use-undo-redo-keys';
import { newComponent } from '../lib/flow-editing';

function publishProblems(error: unknown): FlowProblem[] {
  if (!(error instanceof ApiRequestError)) return [];
  return ((error.details as { problems?: FlowProblem[] } | undefined)?.problems ?? []) as FlowProblem[];
}

/** What the component settings offer: the prompts, queues and (for administrators) callback services. */
function useFlowChoices(readOnly: boolean) {
  const prompts = useFlowPrompts();
  const queues = useQueueChoices();
  const services = useCallbackServiceChoices(!readOnly);
  return { prompts: prompts.data ?? [], queues: queues.data ?? [], services: services.data ?? [] };
}

/** The toolbar's actions on the draft; each says how it went in the notice. */
function editorActions(a: {
  draft: ReturnType<typeof useFlowDraft>;
  addType: FlowComponentType;
  setSelected: (componentId: string | null) => void;
  setNotice: (notice: string | null) => void;
  setTest: (test: FollowedTestCall) => void;
  setCountsOf: (countsOf: CountsOf) => void;
  save: ReturnType<typeof useSaveFlow>;
  testCall: ReturnType<typeof usePlaceTestCall>;
  publish: ReturnType<typeof usePublishFlow>;
  versions: ReturnType<typeof useFlowVersions>;
  restore: ReturnType<typeof useRestoreFlowVersion>;
}) {
  const { def, dirty, edit, dispatch } = a.draft;
  const { setNotice } = a;
  const saveDraft = () =>
    a.save.mutateAsync({ definition: def }).then((f) => {
      setNotice(
        f.problems.length === 0 ? 'Draft saved.' : `Draft saved with ${f.problems.length} problem(s).`,
      );
      return f;
    });
  return {
    add: () => {
      // New components fill a grid of three columns under what is there.
      const n = def.components.length;
      const c = newComponent(def, a.addType, { x: (n % 3) * 260, y: Math.floor(n / 3) * 180 });
      edit({ start: def.start ?? c.id, components: [...def.components, c] });
      a.setSelected(c.id);
    },
    undo: () => dispatch({ type: 'undo' }),
    redo: () => dispatch({ type: 'redo' }),
    saveDraft,
    testCall: () => {
      setNotice(null);
      a.testCall.mutate(undefined, {
        onSuccess: (r) => {
          a.setTest({ callId: r.callId, path: [], ended: null });
          a.setCountsOf('draft');
          setNotice('Test call: answer your phone; its path lights up on the canvas.');
        },
      });
    },
    publish: async () => {
      setNotice(null);
      if (dirty) await saveDraft();
      const res = await a.publish.mutateAsync().catch(() => null);
      if (res) setNotice(`Published version ${res.version}.`);
      void a.versions.refetch();
    },
    restore: (version: number) =>
      a.restore.mutate(version, {
        onSuccess: () => setNotice(`Version ${version} restored into the draft.`),
      }),
  };
}

/** The canvas editor of one flow's draft: components, exits, settings, publish and versions. */
export function FlowEditorPage() {
  const id = Number(useParams().id);
  const flow = useFlow(id);
  const { data: user } = useCurrentUser();
  const readOnly = user?.role !== 'admin';
  const choices = useFlowChoices(readOnly);
  const versions = useFlowVersions(id);
  const save = useSaveFlow(id);
  const publish = usePublishFlow(id);
  const restore = useRestoreFlowVersion(id);
  const [selected, setSelected] = useState<string | null>(null);
  const [addType, setAddType] = useState<FlowComponentType>('play');
  const [notice, setNotice] = useState<string | null>(null);
  // Whose counts the canvas shows: a published version (the live one by default) or test calls.
  const [countsOf, setCountsOf] = useState<CountsOf>(undefined);
  const live = useFlowLive(id, countsOf);
  const testCall = usePlaceTestCall(id);
  const { test, setTest } = useFollowedTestCall(id);
  const draft = useFlowDraft(flow.data);
  const { state, dispatch, def, dirty, problems, edit } = draft;
  useUndoRedoKeys(readOnly, dispatch);

  if (flow.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (flow.isError) return <Alert tone="error">{errorMessage(flow.error)}</Alert>;
  const current = def.components.find((c) => c.id === selected) ?? null;

  const actions = editorActions({
    draft,
    addType,
    setSelected,
    setNotice,
    setTest,
    setCountsOf,
    save,
    testCall,
    publish,
    versions,
    restore,
  });
  const toolbar = readOnly ? null : (
    <FlowEditorToolbar
      addType={addType}
      setAddType={setAddType}
      actions={actions}
      canUndo={state.past.length > 0}
      canRedo={state.future.length > 0}
      dirty={dirty}
      pending={{ saving: save.isPending, testing: testCall.isPending, publishing: publish.isPending }}
    />
  );

  return (
    <div className="flex h-[calc(100vh-7.5rem)] flex-col gap-3">
      <FlowEditorHeader flow={flow.data} dirty={dirty} readOnly={readOnly} toolbar={toolbar} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {publish.isError ? <Alert tone="error">{errorMessage(publish.error)}</Alert> : null}
      {testCall.isError ? <Alert tone="error">{errorMessage(testCall.error)}</Alert> : null}
      <FlowCountsSelect
        publishedVersion={flow.data.publishedVersion}
        versions={versions.data ?? []}
        countsOf={countsOf}
        setCountsOf={setCountsOf}
        enteredAtStart={live.data ? (live.data.enteredToday[def.start ?? ''] ?? 0) : null}
      />
      {test ? <TestCallPath test={test} /> : null}
      {save.isError ? <Alert tone="error">{errorMessage(save.error)}</Alert> : null}
      <div className="flex min-h-0 flex-1 gap-3">
        <FlowCanvasPanel
          draft={draft}
          live={live.data ?? null}
          testPath={test?.path ?? []}
          selected={selected}
          readOnly={readOnly}
          setSelected={setSelected}
        />
        <FlowSidePanel
          current={current}
          def={def}
          choices={choices}
          readOnly={readOnly}
          problems={problems}
          shownProblems={
            publishProblems(publish.error).length > 0 && !dirty ? publishProblems(publish.error) : problems
          }
          edit={edit}
          setSelected={setSelected}
          versions={versions.data ?? []}
          publishedVersion={flow.data.publishedVersion}
          timeZone={user?.timeZone ?? browserTimeZone()}
          onRestore={actions.restore}
        />
      </div>
    </div>
  );
}
