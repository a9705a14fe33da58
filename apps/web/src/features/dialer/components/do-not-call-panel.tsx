import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Card } from '../../../components/card';
import { Pagination } from '../../../components/pagination';
import { TextField } from '../../../components/text-field';
import { errorMessage } from '../../../lib/field-errors';
import { useRemoveDoNotCall } from '../api/change-do-not-call';
import { useDoNotCallList } from '../api/get-do-not-call';
import { DoNotCallAddForm } from './do-not-call-add-form';
import { DoNotCallTable } from './do-not-call-table';

/**
 * The do-not-call list (docs/dialer.md, "Do-not-call list"): numbers no outbound path dials — the
 * dialer never, an agent's manual dial is refused, a supervisor's goes through audited. Search,
 * add, remove, and import a CSV file (all or nothing).
 */
export function DoNotCallPanel({ timeZone }: { timeZone: string }) {
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const list = useDoNotCallList(search, page);
  const remove = useRemoveDoNotCall();
  return (
    <Card title="Do-not-call list">
      <div className="space-y-4">
        <DoNotCallAddForm />
        {remove.isError ? <Alert tone="error">{errorMessage(remove.error)}</Alert> : null}
        <TextField
          label="Search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(1);
          }}
          hint="Part of the number"
          className="w-72"
        />
        <DoNotCallTable list={list} search={search} timeZone={timeZone} remove={remove} />
        {list.data ? (
          <Pagination page={page} limit={50} total={list.data.total} onPage={setPage} noun="numbers" />
        ) : null}
      </div>
    </Card>
  );
}
