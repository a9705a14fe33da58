import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { PageHeader } from '../../../components/page-header';
import { SelectField } from '../../../components/select-field';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useCreateRateTable, useDeleteRateTable, useRateTables, useSavePlan } from '../api/rate-tables';
import { usePlans } from '../api/subscribers';

/** Rate tables and the plans that use them. */
export function RateTablesPage() {
  const tables = useRateTables();
  const plans = usePlans();
  const del = useDeleteRateTable();
  const [creating, setCreating] = useState<null | 'table' | 'plan'>(null);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Rates & plans"
        description="Prices by destination prefix (the longest prefix wins), one rate table per plan."
        actions={
          <>
            <Button onClick={() => setCreating('table')}>New rate table</Button>
            <Button variant="secondary" onClick={() => setCreating('plan')}>
              New plan
            </Button>
          </>
        }
      />
      {tables.isError ? <Alert tone="error">{errorMessage(tables.error)}</Alert> : null}
      {del.isError ? <Alert tone="error">{errorMessage(del.error)}</Alert> : null}
      <Table
        caption="Rate tables"
        head={
          <>
            <Th>Rate table</Th>
            <Th>Currency</Th>
            <Th className="text-right">Rates</Th>
            <Th>Used by plans</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {tables.isPending ? (
          <EmptyRow colSpan={5}>Loading…</EmptyRow>
        ) : (tables.data ?? []).length === 0 ? (
          <EmptyRow colSpan={5}>No rate tables.</EmptyRow>
        ) : (
          (tables.data ?? []).map((t) => (
            <tr key={t.id} data-testid="rate-table-row">
              <Td className="font-medium">
                <Link to={`/admin/rate-tables/${t.id}`} className="text-brand-700 hover:underline">
                  {t.name}
                </Link>
                {t.description ? <p className="text-xs text-slate-500">{t.description}</p> : null}
              </Td>
              <Td>{t.currency}</Td>
              <Td className="text-right tabular-nums">{t.rateCount.toLocaleString('en')}</Td>
              <Td>{t.plans.map((p) => p.name).join(', ') || '—'}</Td>
              <Td className="text-right">
                <Button
                  variant="ghost-danger"
                  size="sm"
                  disabled={del.isPending || t.plans.length > 0}
                  title={t.plans.length ? 'A plan uses this table' : undefined}
                  onClick={() => del.mutate(t.id)}
                >
                  Delete
                </Button>
              </Td>
            </tr>
          ))
        )}
      </Table>
      <Table
        caption="Plans"
        head={
          <>
            <Th>Plan</Th>
            <Th>Rate table</Th>
            <Th>Currency</Th>
            <Th className="text-right">Subscribers</Th>
          </>
        }
      >
        {(plans.data ?? []).length === 0 ? (
          <EmptyRow colSpan={4}>{plans.isPending ? 'Loading…' : 'No plans.'}</EmptyRow>
        ) : (
          (plans.data ?? []).map((p) => (
            <tr key={p.id} data-testid="plan-row">
              <Td className="font-medium">{p.name}</Td>
              <Td>{p.rateTableName}</Td>
              <Td>{p.currency}</Td>
              <Td className="text-right tabular-nums">{p.subscriberCount}</Td>
            </tr>
          ))
        )}
      </Table>
      {creating === 'table' ? <NewTableDialog onClose={() => setCreating(null)} /> : null}
      {creating === 'plan' ? <NewPlanDialog onClose={() => setCreating(null)} /> : null}
    </div>
  );
}

function NewTableDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateRateTable();
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [description, setDescription] = useState('');
  const errors = fieldErrorsOf(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, currency, description }, { onSuccess: onClose });
  };
  return (
    <Dialog
      open
      size="sm"
      title="New rate table"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="new-table" disabled={create.isPending}>
            Create
          </Button>
        </>
      }
    >
      <form id="new-table" onSubmit={submit} className="space-y-3" noValidate>
        {create.isError && !Object.keys(errors).length ? (
          <Alert tone="error">{errorMessage(create.error)}</Alert>
        ) : null}
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <TextField
          label="Currency"
          maxLength={3}
          value={currency}
          onChange={(e) => setCurrency(e.target.value)}
          error={errors.currency}
        />
        <TextField
          label="Description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={errors.description}
        />
      </form>
    </Dialog>
  );
}

function NewPlanDialog({ onClose }: { onClose: () => void }) {
  const tables = useRateTables();
  const save = useSavePlan();
  const [name, setName] = useState('');
  const [rateTableId, setRateTableId] = useState('');
  const errors = fieldErrorsOf(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ name, rateTableId: Number(rateTableId) }, { onSuccess: onClose });
  };
  return (
    <Dialog
      open
      size="sm"
      title="New plan"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="new-plan" disabled={save.isPending || !rateTableId}>
            Create
          </Button>
        </>
      }
    >
      <form id="new-plan" onSubmit={submit} className="space-y-3" noValidate>
        {save.isError && !Object.keys(errors).length ? (
          <Alert tone="error">{errorMessage(save.error)}</Alert>
        ) : null}
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <SelectField
          label="Rate table"
          value={rateTableId}
          onChange={(e) => setRateTableId(e.target.value)}
          error={errors.rateTableId}
        >
          <option value="">Choose…</option>
          {(tables.data ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.currency})
            </option>
          ))}
        </SelectField>
      </form>
    </Dialog>
  );
}
