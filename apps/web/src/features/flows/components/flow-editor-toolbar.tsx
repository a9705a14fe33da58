import { type FlowComponentType, flowComponentLabels, flowComponentTypes } from '@switchboard/shared';
import { Button } from '../../../components/button';
import { SelectField } from '../../../components/select-field';

/** The editor's actions: add a component, undo, redo, save the draft, place a test call, publish. */
export function FlowEditorToolbar({
  addType,
  setAddType,
  actions,
  canUndo,
  canRedo,
  dirty,
  pending,
}: {
  addType: FlowComponentType;
  setAddType: (type: FlowComponentType) => void;
  actions: {
    add(): void;
    undo(): void;
    redo(): void;
    saveDraft(): Promise<unknown>;
    testCall(): void;
    publish(): Promise<void>;
  };
  canUndo: boolean;
  canRedo: boolean;
  dirty: boolean;
  /** Which request is on its way. */
  pending: { saving: boolean; testing: boolean; publishing: boolean };
}) {
  const { saving, testing, publishing } = pending;
  return (
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
      <Button variant="secondary" onClick={actions.add}>
        Add
      </Button>
      <Button variant="ghost" onClick={actions.undo} disabled={!canUndo}>
        Undo
      </Button>
      <Button variant="ghost" onClick={actions.redo} disabled={!canRedo}>
        Redo
      </Button>
      <Button variant="secondary" onClick={() => void actions.saveDraft()} disabled={!dirty || saving}>
        Save draft
      </Button>
      <Button
        variant="secondary"
        disabled={testing || dirty}
        title={dirty ? 'Save the draft first' : 'Rings your own extension and runs the draft'}
        onClick={actions.testCall}
      >
        Test call
      </Button>
      <Button onClick={actions.publish} disabled={publishing}>
        Publish
      </Button>
    </div>
  );
}
