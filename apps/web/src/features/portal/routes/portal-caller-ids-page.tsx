import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { formatDate } from '../../../lib/format';
import { useAddCallerId, usePortalCallerIds, useRemoveCallerId } from '../api/portal-account';
import { browserTimeZone, PortalLayout } from '../components/portal-layout';

/** The "Authorized caller IDs" menu: calls from these numbers need no PIN. */
export function PortalCallerIdsPage() {
  const list = usePortalCallerIds();
  const add = useAddCallerId();
  const remove = useRemoveCallerId();
  const [number, setNumber] = useState('');
  const errors = fieldErrorsOf(add.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(number, { onSuccess: () => setNumber('') });
  };
  const rows = list.data ?? [];
  return (
    <PortalLayout>
      <Card title="Authorized caller IDs">
        <p className="mb-4 text-sm text-slate-500">
          When you call the access number from one of these phones, you go straight to dialling: no PIN is
          asked. A number you authorize with your PIN on a call is added here too.
        </p>
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3" noValidate>
          <TextField
            label="Phone number"
            name="number"
            inputMode="tel"
            placeholder="+1 415 555 0132"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            error={errors.number ?? (add.error && !errors.number ? errorMessage(add.error) : undefined)}
            className="min-w-64 flex-1"
          />
          <Button type="submit" disabled={add.isPending || number.trim() === ''}>
            Add caller ID
          </Button>
        </form>
      </Card>
      {remove.isError ? <Alert tone="error">{errorMessage(remove.error)}</Alert> : null}
      <Table
        caption="Authorized caller IDs"
        head={
          <>
            <Th>Number</Th>
            <Th>Added</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {list.isPending ? (
          <EmptyRow colSpan={3}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={3}>No authorized caller IDs yet.</EmptyRow>
        ) : (
          rows.map((c) => (
            <tr key={c.id} data-testid="caller-id-row">
              <Td className="font-medium text-slate-900 tabular-nums">{c.number}</Td>
              <Td>{formatDate(c.createdAt, browserTimeZone)}</Td>
              <Td className="text-right">
                <Button
                  variant="ghost-danger"
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(c.id)}
                  aria-label={`Remove ${c.number}`}
                >
                  Remove
                </Button>
              </Td>
            </tr>
          ))
        )}
      </Table>
    </PortalLayout>
  );
}
