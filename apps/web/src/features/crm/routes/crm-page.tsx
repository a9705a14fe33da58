import { type Customer, type CustomerSort, roleAtLeast } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { CsvDownloadButton } from '../../../components/csv-download-button';
import { PageHeader } from '../../../components/page-header';
import { Pagination } from '../../../components/pagination';
import { SelectField } from '../../../components/select-field';
import { EmptyRow, Table, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useCustomers } from '../api/get-customers';
import { CustomerFormDialog } from '../components/customer-form-dialog';
import { CustomerImportDialog } from '../components/customer-import-dialog';
import { CustomerRow } from '../components/customer-row';
import { DeleteCustomerDialog } from '../components/delete-customer-dialog';

const pageSize = 20;

/** The list's search, sort and page live in the address, so a reload or a shared link shows the same list. */
function useCustomerListParams() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebouncedValue(search.trim());
  const sort: CustomerSort = params.get('sort') === 'lastContact' ? 'lastContact' : 'name';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const urlQ = params.get('q') ?? '';
  const update = (next: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === null || v === '') p.delete(k);
      else p.set(k, v);
    }
    setParams(p, { replace: true });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a settled search changes the address
  useEffect(() => {
    if (q !== urlQ) update({ q, page: null });
  }, [q]);
  return { search, setSearch, sort, page, urlQ, update };
}

/** Search by name, company or number; sort by name or last contact. */
function CustomerListFilters({
  search,
  onSearch,
  sort,
  onSort,
}: {
  search: string;
  onSearch: (search: string) => void;
  sort: CustomerSort;
  onSort: (sort: string) => void;
}) {
  return (
    <div className="mb-4 flex flex-wrap items-end gap-4">
      <TextField
        className="w-80"
        label="Search"
        type="search"
        placeholder="Name, company or part of a number"
        value={search}
        onChange={(e) => onSearch(e.target.value)}
      />
      <SelectField className="w-56" label="Sort by" value={sort} onChange={(e) => onSort(e.target.value)}>
        <option value="name">Name (A–Z)</option>
        <option value="lastContact">Last contact (newest)</option>
      </SelectField>
    </div>
  );
}

/** CRM → Customer Management. */
export function CrmPage({ viewer }: { viewer: DeskUser }) {
  const { search, setSearch, sort, page, urlQ, update } = useCustomerListParams();
  const supervisor = roleAtLeast(viewer.role, 'supervisor');
  const list = useCustomers({ q: urlQ, sort, page, limit: pageSize });
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<Customer | null>(null);
  const [deleting, setDeleting] = useState<Customer | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const columns = supervisor ? 6 : 5;
  return (
    <div>
      <PageHeader
        title="CRM · Customer Management"
        description={
          supervisor
            ? 'Every customer your agents have added. You may edit and delete them.'
            : 'The customers you have added. Only you and the supervisors can see them.'
        }
        actions={
          <div className="flex gap-2">
            <CsvDownloadButton url="/api/customers/export.csv" filename="customers.csv" label="Export CSV" />
            {supervisor ? (
              <Button variant="secondary" onClick={() => setImporting(true)}>
                Import CSV
              </Button>
            ) : null}
            <Button onClick={() => setCreating(true)}>New customer</Button>
          </div>
        }
      />
      <CustomerListFilters
        search={search}
        onSearch={setSearch}
        sort={sort}
        onSort={(v) => update({ sort: v === 'name' ? null : v, page: null })}
      />
      {notice ? (
        <div className="mb-4">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      <Table
        caption="Customers"
        head={
          <>
            <Th>Name</Th>
            <Th>Phone numbers</Th>
            {supervisor ? <Th>Added by</Th> : null}
            <Th>Last contact</Th>
            <Th>
              <span className="sr-only">Call</span>
            </Th>
            <Th className="w-40 text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {list.isPending ? (
          <EmptyRow colSpan={columns}>Loading customers…</EmptyRow>
        ) : list.isError ? (
          <EmptyRow colSpan={columns}>
            <span className="text-red-700">Could not load customers: {errorMessage(list.error)}</span>
          </EmptyRow>
        ) : list.data.customers.length === 0 ? (
          <EmptyRow colSpan={columns}>
            {urlQ ? `No customer matches “${urlQ}”.` : 'No customers yet. Add one with “New customer”.'}
          </EmptyRow>
        ) : (
          list.data.customers.map((c) => (
            <CustomerRow
              key={c.id}
              customer={c}
              supervisor={supervisor}
              timeZone={viewer.timeZone}
              onEdit={() => setEditing(c)}
              onDelete={() => setDeleting(c)}
            />
          ))
        )}
      </Table>
      {list.data ? (
        <Pagination
          page={list.data.page}
          limit={list.data.limit}
          total={list.data.total}
          noun="customers"
          onPage={(p) => update({ page: p === 1 ? null : String(p) })}
        />
      ) : null}
      <CustomerFormDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(c) => setNotice(`${c.name} was added.`)}
      />
      <CustomerFormDialog
        open={editing !== null}
        customer={editing ?? undefined}
        onClose={() => setEditing(null)}
        onSaved={(c) => setNotice(`${c.name} was saved.`)}
      />
      <CustomerImportDialog open={importing} onClose={() => setImporting(false)} onImported={setNotice} />
      <DeleteCustomerDialog
        customer={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={() => setNotice('The customer was deleted.')}
      />
    </div>
  );
}
