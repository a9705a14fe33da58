import type { Customer } from '@switchboard/shared';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { Td } from '../../../components/table';
import { formatDateTime } from '../../../lib/format';
import { CustomerCallControl } from './customer-call-control';

/** One customer of the CRM list: name and company, numbers, owner (supervisors), last contact, actions. */
export function CustomerRow({
  customer: c,
  supervisor,
  timeZone,
  onEdit,
  onDelete,
}: {
  customer: Customer;
  /** Supervisors see who added the customer and may delete it. */
  supervisor: boolean;
  timeZone: string;
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <tr className="hover:bg-slate-50">
      <Td>
        <Link to={`/crm/customers/${c.id}`} className="font-medium text-brand-700 hover:underline">
          {c.name}
        </Link>
        {c.company ? <p className="text-xs text-slate-500">{c.company}</p> : null}
      </Td>
      <Td className="whitespace-nowrap tabular-nums">
        {c.phones.map((p) => (
          <div key={p.id}>{p.number}</div>
        ))}
      </Td>
      {supervisor ? <Td>{c.owner.displayName}</Td> : null}
      <Td className="whitespace-nowrap text-slate-500">
        {c.lastContactAt ? formatDateTime(c.lastContactAt, timeZone) : 'Never'}
      </Td>
      <Td>
        <CustomerCallControl customerName={c.name} phones={c.phones} />
      </Td>
      <Td className="text-right whitespace-nowrap">
        <Button variant="ghost" size="sm" aria-label={`Edit ${c.name}`} onClick={onEdit}>
          Edit
        </Button>
        {supervisor ? (
          <Button variant="ghost-danger" size="sm" aria-label={`Delete ${c.name}`} onClick={onDelete}>
            Delete
          </Button>
        ) : null}
      </Td>
    </tr>
  );
}
