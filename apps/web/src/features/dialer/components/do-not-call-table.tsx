import { Button } from '../../../components/button';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import type { useRemoveDoNotCall } from '../api/change-do-not-call';
import type { useDoNotCallList } from '../api/get-do-not-call';

/** One page of the listed numbers, each with its Remove button. */
export function DoNotCallTable({
  list,
  search,
  timeZone,
  remove,
}: {
  list: ReturnType<typeof useDoNotCallList>;
  search: string;
  timeZone: string;
  remove: ReturnType<typeof useRemoveDoNotCall>;
}) {
  const rows = list.data?.entries ?? [];
  return (
    <Table
      caption="Numbers on the do-not-call list"
      head={
        <>
          <Th>Number</Th>
          <Th>Reason</Th>
          <Th>Added</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </>
      }
    >
      {list.isPending ? (
        <EmptyRow colSpan={4}>Loading…</EmptyRow>
      ) : list.isError ? (
        <EmptyRow colSpan={4}>{errorMessage(list.error)}</EmptyRow>
      ) : rows.length === 0 ? (
        <EmptyRow colSpan={4}>{search ? 'No listed number matches.' : 'No number is listed.'}</EmptyRow>
      ) : (
        rows.map((r) => (
          <tr key={r.id}>
            <Td className="font-mono">{r.number}</Td>
            <Td>{r.reason ?? '—'}</Td>
            <Td>{formatDateTime(r.createdAt, timeZone)}</Td>
            <Td className="text-right">
              <Button
                variant="ghost"
                disabled={remove.isPending}
                onClick={() => remove.mutate(r.id)}
                aria-label={`Remove ${r.number}`}
              >
                Remove
              </Button>
            </Td>
          </tr>
        ))
      )}
    </Table>
  );
}
