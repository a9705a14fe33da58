import { TextField } from '../../../components/text-field';
import type { DialingPolicyDraft } from '../lib/dialing-policy-draft';

/**
 * The dialer's caps over every auto-dialled call, per node (docs/dialer.md, "Durability and
 * pacing"): set here for every node, or left to each node's configuration.
 */
export function PacingFields({
  draft,
  set,
  inForce,
  errors,
}: {
  draft: DialingPolicyDraft;
  set: (patch: Partial<DialingPolicyDraft>) => void;
  inForce: { callsPerSecond: number; maxConcurrent: number };
  errors: Record<string, string>;
}) {
  return (
    <fieldset className="grid gap-4 sm:col-span-2 sm:grid-cols-2">
      <legend className="text-sm font-medium text-slate-700">Pacing</legend>
      <label className="flex items-center gap-2 text-sm sm:col-span-2">
        <input
          type="checkbox"
          checked={draft.paceHere}
          onChange={(e) => set({ paceHere: e.target.checked })}
        />
        Set the pace for every node here
      </label>
      <TextField
        label="Calls started per second"
        type="number"
        min={0}
        step="any"
        disabled={!draft.paceHere}
        value={draft.callsPerSecond}
        onChange={(e) => set({ callsPerSecond: e.target.value })}
        error={errors['pacing.callsPerSecond']}
        hint="Per node; 0.5 is one call every two seconds"
      />
      <TextField
        label="Calls at once"
        type="number"
        min={1}
        disabled={!draft.paceHere}
        value={draft.maxConcurrent}
        onChange={(e) => set({ maxConcurrent: e.target.value })}
        error={errors['pacing.maxConcurrent']}
        hint="Per node. A trunk's own caps still apply under these."
      />
      <p className="text-xs text-slate-500 sm:col-span-2">
        In force on this node: {inForce.callsPerSecond} per second, {inForce.maxConcurrent} at once
        {draft.paceHere ? '' : ' (its configuration: DIALER_CALLS_PER_SECOND, DIALER_MAX_CONCURRENT)'}.
      </p>
    </fieldset>
  );
}
