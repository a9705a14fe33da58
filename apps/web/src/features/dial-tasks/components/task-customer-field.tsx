import { Button } from '../../../components/button';
import { TextField } from '../../../components/text-field';
import type { TaskForm } from '../hooks/use-task-form';

/** The task's customer: the one chosen (with Clear), or a search with the matching customers to choose from. */
export function TaskCustomerField({ form }: { form: TaskForm }) {
  const { customer, setCustomer, search, setSearch, q, found, errors, clear, setPhoneId } = form;
  if (customer) {
    return (
      <div className="flex items-end gap-3">
        <div className="flex-1 rounded-md bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-200">
          <span className="text-slate-500">Customer: </span>
          <span className="font-medium" data-testid="chosen-customer">
            {customer.name}
          </span>
        </div>
        <Button variant="secondary" onClick={() => setCustomer(null)}>
          Clear customer
        </Button>
      </div>
    );
  }
  return (
    <div>
      <TextField
        label="Customer (optional)"
        type="search"
        placeholder="Search by name or number"
        value={search}
        onChange={(e) => {
          setSearch(e.target.value);
          clear('customerId');
        }}
        error={errors.customerId}
      />
      {q.trim().length >= 2 ? (
        <ul
          className="mt-1 divide-y divide-slate-100 rounded-md ring-1 ring-slate-200"
          aria-label="Matching customers"
        >
          {found.isPending ? (
            <li className="px-3 py-2 text-sm text-slate-500">Searching…</li>
          ) : (found.data?.customers ?? []).length === 0 ? (
            <li className="px-3 py-2 text-sm text-slate-500">No customer matches.</li>
          ) : (
            found.data?.customers.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="flex w-full justify-between px-3 py-2 text-left text-sm hover:bg-slate-50 focus:bg-brand-50"
                  onClick={() => {
                    setCustomer({ id: c.id, name: c.name, phones: c.phones });
                    clear('number');
                    setPhoneId(c.phones[0]?.id ?? null);
                  }}
                >
                  <span className="font-medium">{c.name}</span>
                  <span className="text-slate-500 tabular-nums">{c.phones[0]?.number}</span>
                </button>
              </li>
            ))
          )}
        </ul>
      ) : null}
    </div>
  );
}
