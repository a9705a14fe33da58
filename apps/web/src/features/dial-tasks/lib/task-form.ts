import type { Customer, DialTask } from '@switchboard/shared';

/** The customer the task calls, as chosen in the form (`phones` is null for the task's own, not searched). */
export type ChosenCustomer = { id: number; name: string; phones: Customer['phones'] | null };

/** What the form checks itself before sending: each missing field's message. */
export function missingTaskFields(
  {
    agent,
    customer,
    number,
    start,
    end,
  }: {
    agent: string;
    customer: ChosenCustomer | null;
    number: string;
    start: string;
    end: string;
  },
  task: DialTask | undefined,
): Record<string, string> {
  const local: Record<string, string> = {};
  if (!agent) local.assignedUserId = 'Choose the agent';
  if (!task && !customer && !number.trim()) local.number = 'Enter a number or choose a customer';
  if (!start) local.startAt = 'Choose the start date';
  if (!end) local.endAt = 'Choose the end date';
  return local;
}

/**
 * What an edit changes in whom the task calls: a typed number wins; otherwise a different (or
 * re-chosen) customer, or none when the customer was cleared; nothing when it stays as it was.
 */
export function editedTarget(
  task: DialTask,
  customer: ChosenCustomer | null,
  phoneId: number | null,
  number: string,
) {
  const changedCustomer = customer !== null && (customer.id !== task.customer?.id || phoneId !== null);
  const clearedCustomer = customer === null && task.customer !== null;
  return number.trim()
    ? { number, ...(clearedCustomer ? { customerId: null } : {}) }
    : changedCustomer
      ? { customerId: customer.id, phoneId }
      : clearedCustomer
        ? { customerId: null }
        : {};
}
