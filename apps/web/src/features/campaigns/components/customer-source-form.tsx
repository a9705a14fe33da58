import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useAgents } from '../../../lib/use-agents';
import { useAddCampaignCustomers } from '../api/add-campaign-customers';

/**
 * A CRM search as the campaign's tasks: the customers the search box would find (name, company or
 * number), a dial task each on their first number, for the chosen agent, open for some days.
 */
export function CustomerSourceForm({
  campaign,
  onSaved,
}: {
  campaign: { id: number; name: string };
  onSaved: (message: string) => void;
}) {
  const agents = useAgents();
  const add = useAddCampaignCustomers();
  const [f, setF] = useState({ q: '', assignedUserId: '', days: '30', note: '' });
  const errors = fieldErrorsOf(add.error);
  // A change answers the server's complaints: they go until the next try.
  const change = (patch: Partial<typeof f>) => {
    setF({ ...f, ...patch });
    if (add.isError) add.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      {
        id: campaign.id,
        q: f.q,
        assignedUserId: Number(f.assignedUserId),
        days: Number(f.days),
        note: f.note.trim() || null,
      },
      {
        onSuccess: (res) =>
          onSaved(
            `${res.added} customer(s) added to “${campaign.name}”${res.withoutNumber ? ` (${res.withoutNumber} without a number left out)` : ''}.`,
          ),
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Add customers">
      {add.isError && Object.keys(errors).length === 0 ? (
        <Alert tone="error">{errorMessage(add.error)}</Alert>
      ) : null}
      <TextField
        label="Customers matching"
        value={f.q}
        onChange={(e) => change({ q: e.target.value })}
        hint="As in the customers search: part of a name, a company or a number"
        error={errors.q}
      />
      <SelectField
        label="Assign the tasks to"
        value={f.assignedUserId}
        onChange={(e) => change({ assignedUserId: e.target.value })}
        error={errors.assignedUserId}
      >
        <option value="">Choose…</option>
        {(agents.data ?? []).map((a) => (
          <option key={a.id} value={a.id}>
            {a.displayName}
          </option>
        ))}
      </SelectField>
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label="Open for (days)"
          inputMode="numeric"
          value={f.days}
          onChange={(e) => change({ days: e.target.value })}
          error={errors.days}
        />
        <TextField
          label="Note (optional)"
          value={f.note}
          onChange={(e) => change({ note: e.target.value })}
          error={errors.note}
        />
      </div>
      <Button type="submit" disabled={add.isPending}>
        Add customers
      </Button>
    </form>
  );
}
