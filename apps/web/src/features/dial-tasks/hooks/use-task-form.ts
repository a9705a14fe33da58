import type { DialTask } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import type { DeskUser } from '../../../lib/desk-user';
import { fieldErrorsOf } from '../../../lib/field-errors';
import { toDateTimeInput } from '../../../lib/format';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useCreateDialTask } from '../api/create-dial-task';
import { useCustomerSearch } from '../api/search-customers';
import { useUpdateDialTask } from '../api/update-dial-task';
import { type ChosenCustomer, editedTarget, missingTaskFields } from '../lib/task-form';

/** The task form's fields, set afresh (from `task`, or empty for today) each time the form opens. */
function useTaskFields(open: boolean, task: DialTask | undefined, zone: string, onReset: () => void) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search);
  const found = useCustomerSearch(q);
  const [customer, setCustomer] = useState<ChosenCustomer | null>(null);
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
    onReset();
  }, [open, task, zone]);

  /** A field's error goes as soon as the field is changed. */
  const clear = (key: string) =>
    setErrors((errs) => {
      if (!(key in errs)) return errs;
      const { [key]: _, ...rest } = errs;
      return rest;
    });
  return {
    search,
    setSearch,
    q,
    found,
    customer,
    setCustomer,
    phoneId,
    setPhoneId,
    number,
    setNumber,
    agent,
    setAgent,
    start,
    setStart,
    end,
    setEnd,
    note,
    setNote,
    errors,
    setErrors,
    clear,
  };
}

export type TaskForm = ReturnType<typeof useTaskFields>;

/** The create-or-edit task form: its fields, the request that saves it, and the outcome. */
export function useTaskForm({
  open,
  task,
  viewer,
  onClose,
  onSaved,
}: {
  open: boolean;
  task?: DialTask;
  viewer: DeskUser;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const create = useCreateDialTask();
  const update = useUpdateDialTask();
  const mutation = task ? update : create;
  const form = useTaskFields(open, task, viewer.timeZone, () => {
    create.reset();
    update.reset();
  });
  const { customer, phoneId, number, agent, start, end, note, setErrors } = form;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local = missingTaskFields({ agent, customer, number, start, end }, task);
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
      const target = editedTarget(task, customer, phoneId, number);
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
  return { form, mutation, submit };
}
