import type { Customer, DialTask } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { TextareaField } from '../../../components/textarea-field';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { toDateTimeInput } from '../../../lib/format';
import type { AgentSummary } from '../../../lib/use-agents';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useCreateDialTask } from '../api/create-dial-task';
import { useCustomerSearch } from '../api/search-customers';
import { useUpdateDialTask } from '../api/update-dial-task';

type Chosen = { id: number; name: string; phones: Customer['phones'] | null };

/** A supervisor creates or edits one task: a customer or a number, the agent, start and end date, note. */
export function TaskFormDialog({
  open,
  task,
  viewer,
  agents,
  onClose,
  onSaved,
}: {
  open: boolean;
  task?: DialTask;
  viewer: DeskUser;
  agents: AgentSummary[];
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const create = useCreateDialTask();
  const update = useUpdateDialTask();
  const mutation = task ? update : create;
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search);
  const found = useCustomerSearch(q);
  const [customer, setCustomer] = useState<Chosen | null>(null);
  const [phoneId, setPhoneId] = useState<number | null>(null);
  const [number, setNumber] = useState('');
  const [agent, setAgent] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the form each time it opens
  useEffect(() => {
    if (!open) return;
    const zone = viewer.timeZone;
    setSearch('');
    setCustomer(task?.customer ? { ...task.customer, phones: null } : null);
    setPhoneId(null);
    setNumber('');
    setAgent(task ? String(task.assignee.id) : '');
    const today = toDateTimeInput(Date.now(), zone).slice(0, 10);
    setStart(task ? toDateTimeInput(task.startAt, zone).slice(0, 10) : today);
    setEnd(task ? toDateTimeInput(task.endAt, zone).slice(0, 10) : today);
    setNote(task?.note ?? '');
    setErrors({});
    create.reset();
    update.reset();
  }, [open, task, viewer.timeZone]);

  const clear = (key: string) =>
    setErrors((errs) => {
      if (!(key in errs)) return errs;
      const { [key]: _, ...rest } = errs;
      return rest;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!agent) local.assignedUserId = 'Choose the agent';
    if (!task && !customer && !number.trim()) local.number = 'Enter a number or choose a customer';
    if (!start) local.startAt = 'Choose the start date';
    if (!end) local.endAt = 'Choose the end date';
    setErrors(local);
    if (Object.keys(local).length) return;
    const onError = (err: unknown) => setErrors(fieldErrorsOf(err));
    const common = {
      assignedUserId: Number(agent),
      startAt: start,
      endAt: end,
      timeZone: viewer.timeZone,
      note,
    };
    if (task) {
      const changedCustomer = customer !== null && (customer.id !== task.customer?.id || phoneId !== null);
      const clearedCustomer = customer === null && task.customer !== null;
      const target = number.trim()
        ? { number, ...(clearedCustomer ? { customerId: null } : {}) }
        : changedCustomer
          ? { customerId: customer.id, phoneId }
          : clearedCustomer
            ? { customerId: null }
            : {};
      update.mutate(
        { id: task.id, ...common, ...target },
        {
          onSuccess: () => {
            onSaved('The task was saved.');
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { ...common, customerId: customer?.id ?? null, phoneId, number: number.trim() || null },
        {
          onSuccess: (res) => {
            onSaved(`Task assigned to ${res.task.assignee.displayName}.`);
            onClose();
          },
          onError,
        },
      );
    }
  };

  const formError = mutation.error && Object.keys(errors).length === 0 ? errorMessage(mutation.error) : null;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={task ? 'Edit outbound task' : 'New outbound task'}
      description="The agent sees the task on their Outbound Tasks page between the start and end date."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="task-form" disabled={mutation.isPending}>
            {mutation.isPending ? 'Saving…' : task ? 'Save task' : 'Create task'}
          </Button>
        </>
      }
    >
      <form id="task-form" onSubmit={submit} noValidate className="space-y-4">
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        {customer ? (
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
        ) : (
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
        )}
        {customer?.phones && customer.phones.length > 1 ? (
          <SelectField
            label="Customer number"
            value={phoneId ?? ''}
            onChange={(e) => setPhoneId(Number(e.target.value))}
            error={errors.phoneId}
          >
            {customer.phones.map((p) => (
              <option key={p.id} value={p.id}>
                {p.number}
              </option>
            ))}
          </SelectField>
        ) : null}
        <TextField
          label={customer ? 'Other number (optional)' : 'Number'}
          inputMode="tel"
          value={number}
          placeholder={task && !customer ? task.number : undefined}
          onChange={(e) => {
            setNumber(e.target.value);
            clear('number');
          }}
          error={errors.number}
          hint={
            customer
              ? 'Leave empty to call the customer’s number.'
              : task
                ? 'Leave empty to keep the current number.'
                : 'With the country code, or a national number.'
          }
        />
        <SelectField
          label="Agent"
          value={agent}
          onChange={(e) => {
            setAgent(e.target.value);
            clear('assignedUserId');
          }}
          error={errors.assignedUserId}
        >
          <option value="">Choose an agent…</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName}
              {a.agentId ? ` (${a.agentId})` : ''}
            </option>
          ))}
        </SelectField>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Start date"
            type="date"
            value={start}
            onChange={(e) => {
              setStart(e.target.value);
              clear('startAt');
            }}
            error={errors.startAt}
          />
          <TextField
            label="End date"
            type="date"
            value={end}
            onChange={(e) => {
              setEnd(e.target.value);
              clear('endAt');
            }}
            error={errors.endAt}
          />
        </div>
        <TextareaField
          label="Note (optional)"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={errors.note}
        />
      </form>
    </Dialog>
  );
}
