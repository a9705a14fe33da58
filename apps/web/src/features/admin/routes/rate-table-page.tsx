import { formatEffectiveFrom, type Rate, type RateImportRowError } from '@switchboard/shared';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Dialog } from '../../../components/dialog';
import { PageHeader } from '../../../components/page-header';
import { Pagination } from '../../../components/pagination';
import { SelectField } from '../../../components/select-field';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { ApiRequestError } from '../../../lib/api-client';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useDeleteRate, useImportRates, useRates, useRateTables, useSaveRate } from '../api/rate-tables';

/** One rate table: its rates, CSV import (all or nothing) and export. */
export function RateTablePage() {
  const id = Number(useParams().id);
  const tables = useRateTables();
  const table = tables.data?.find((t) => t.id === id);
  const [prefix, setPrefix] = useState('');
  const [page, setPage] = useState(1);
  const debounced = useDebouncedValue(prefix, 250);
  const rates = useRates(id, { prefix: debounced, page });
  const del = useDeleteRate(id);
  const [editing, setEditing] = useState<Rate | 'new' | null>(null);
  const rows = rates.data?.rates ?? [];
  return (
    <div className="space-y-4">
      <PageHeader
        title={table ? `${table.name} · ${table.currency}` : 'Rate table'}
        description="Price per minute and connect fee in the table's currency; billing increments in seconds (first / next)."
        actions={
          <>
            <Button onClick={() => setEditing('new')}>New rate</Button>
            <a
              href={`/api/admin/rate-tables/${id}/export`}
              className="inline-flex items-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
              download
            >
              Export CSV
            </a>
          </>
        }
      />
      <p className="text-sm">
        <Link to="/admin/rate-tables" className="text-brand-700 hover:underline">
          ← Rates & plans
        </Link>
      </p>
      <ImportCard tableId={id} />
      <div className="flex items-end gap-3">
        <TextField
          label="Prefix starts with"
          inputMode="numeric"
          value={prefix}
          onChange={(e) => {
            setPrefix(e.target.value);
            setPage(1);
          }}
        />
      </div>
      {rates.isError ? <Alert tone="error">{errorMessage(rates.error)}</Alert> : null}
      {del.isError ? <Alert tone="error">{errorMessage(del.error)}</Alert> : null}
      <Table
        caption="Rates"
        head={
          <>
            <Th>Prefix</Th>
            <Th>Destination</Th>
            <Th className="text-right">Per minute</Th>
            <Th className="text-right">Connect fee</Th>
            <Th className="text-right">Increments (s)</Th>
            <Th>Effective from</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {rates.isPending ? (
          <EmptyRow colSpan={7}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={7}>No rates.</EmptyRow>
        ) : (
          rows.map((r) => (
            <tr key={r.id} data-testid="rate-row">
              <Td className="font-medium tabular-nums">{r.prefix}</Td>
              <Td>{r.description ?? '—'}</Td>
              <Td className="text-right tabular-nums">{r.pricePerMinute}</Td>
              <Td className="text-right tabular-nums">{r.connectFee}</Td>
              <Td className="text-right tabular-nums">
                {r.initialIncrementS}/{r.incrementS}
              </Td>
              <Td>{formatEffectiveFrom(r.effectiveFrom) || 'Always'}</Td>
              <Td className="text-right whitespace-nowrap">
                <Button variant="ghost" size="sm" onClick={() => setEditing(r)}>
                  Edit
                </Button>
                <Button
                  variant="ghost-danger"
                  size="sm"
                  disabled={del.isPending}
                  onClick={() => del.mutate(r.id)}
                >
                  Delete
                </Button>
              </Td>
            </tr>
          ))
        )}
      </Table>
      {rates.data ? (
        <Pagination
          page={page}
          limit={rates.data.pageSize}
          total={rates.data.total}
          onPage={setPage}
          noun="rates"
        />
      ) : null}
      {editing ? (
        <RateDialog tableId={id} rate={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </div>
  );
}

function ImportCard({ tableId }: { tableId: number }) {
  const importRates = useImportRates(tableId);
  const [mode, setMode] = useState<'replace' | 'add'>('replace');
  const [file, setFile] = useState<File | null>(null);
  const rowErrors =
    importRates.error instanceof ApiRequestError
      ? ((importRates.error.details as { rows?: RateImportRowError[] } | undefined)?.rows ?? [])
      : [];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    importRates.mutate({ csv: await file.text(), mode });
  };
  return (
    <Card title="Import a CSV">
      <p className="mb-3 text-sm text-slate-500">
        Columns: prefix, description, rate_per_minute, connect_fee, initial_increment_s, increment_s,
        effective_from (the export's header). Commas or semicolons; a file with any bad row changes nothing.
      </p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">File</span>
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label="Rate CSV file"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setFile(e.target.files?.[0] ?? null)}
            className="text-sm"
          />
        </label>
        <SelectField label="Mode" value={mode} onChange={(e) => setMode(e.target.value as 'replace' | 'add')}>
          <option value="replace">Replace the table's rates</option>
          <option value="add">Add to the table's rates</option>
        </SelectField>
        <Button type="submit" disabled={!file || importRates.isPending}>
          {importRates.isPending ? 'Importing…' : 'Import'}
        </Button>
      </form>
      <div className="mt-3 space-y-2">
        {importRates.isSuccess ? (
          <Alert tone="success">
            Imported {importRates.data.imported.toLocaleString('en')} rates (
            {importRates.data.delimiter === ';' ? 'semicolons' : 'commas'}).
          </Alert>
        ) : null}
        {importRates.isError ? <Alert tone="error">{errorMessage(importRates.error)}</Alert> : null}
        {rowErrors.length ? (
          <ul
            className="max-h-48 overflow-y-auto rounded-md bg-red-50 p-3 text-sm text-red-800"
            data-testid="import-errors"
          >
            {rowErrors.map((r) => (
              <li key={`${r.line}-${r.field}-${r.message}`}>
                Line {r.line}
                {r.field ? ` (${r.field})` : ''}: {r.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </Card>
  );
}

function RateDialog({ tableId, rate, onClose }: { tableId: number; rate: Rate | null; onClose: () => void }) {
  const save = useSaveRate(tableId);
  const [form, setForm] = useState({
    prefix: rate?.prefix ?? '',
    description: rate?.description ?? '',
    pricePerMinute: rate?.pricePerMinute ?? '',
    connectFee: rate?.connectFee ?? '0',
    initialIncrementS: String(rate?.initialIncrementS ?? 60),
    incrementS: String(rate?.incrementS ?? 60),
    effectiveFrom: rate ? formatEffectiveFrom(rate.effectiveFrom) : '',
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const errors = fieldErrorsOf(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        ...(rate ? { id: rate.id } : {}),
        prefix: form.prefix,
        description: form.description,
        pricePerMinute: form.pricePerMinute,
        connectFee: form.connectFee || '0',
        initialIncrementS: Number(form.initialIncrementS),
        incrementS: Number(form.incrementS),
        effectiveFrom: form.effectiveFrom,
      },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog
      open
      title={rate ? `Edit rate ${rate.prefix}` : 'New rate'}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="rate" disabled={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form id="rate" onSubmit={submit} className="grid grid-cols-1 gap-3 sm:grid-cols-2" noValidate>
        {save.isError && !Object.keys(errors).length ? (
          <div className="sm:col-span-2">
            <Alert tone="error">{errorMessage(save.error)}</Alert>
          </div>
        ) : null}
        <TextField
          label="Prefix"
          hint="Digits, country code first"
          inputMode="numeric"
          value={form.prefix}
          onChange={set('prefix')}
          error={errors.prefix}
        />
        <TextField
          label="Destination"
          value={form.description}
          onChange={set('description')}
          error={errors.description}
        />
        <TextField
          label="Price per minute"
          inputMode="decimal"
          value={form.pricePerMinute}
          onChange={set('pricePerMinute')}
          error={errors.pricePerMinute}
        />
        <TextField
          label="Connect fee"
          inputMode="decimal"
          value={form.connectFee}
          onChange={set('connectFee')}
          error={errors.connectFee}
        />
        <TextField
          label="First increment (s)"
          inputMode="numeric"
          value={form.initialIncrementS}
          onChange={set('initialIncrementS')}
          error={errors.initialIncrementS}
        />
        <TextField
          label="Next increments (s)"
          inputMode="numeric"
          value={form.incrementS}
          onChange={set('incrementS')}
          error={errors.incrementS}
        />
        <TextField
          label="Effective from"
          hint="2026-01-01; empty: always"
          value={form.effectiveFrom}
          onChange={set('effectiveFrom')}
          error={errors.effectiveFrom}
        />
      </form>
    </Dialog>
  );
}
