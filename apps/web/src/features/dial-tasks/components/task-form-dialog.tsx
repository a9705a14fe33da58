import type { DialTask } from '@switchboard/shared';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import type { AgentSummary } from '../../../lib/use-agents';
import { useTaskForm } from '../hooks/use-task-form';
import { TaskAssignmentFields } from './task-assignment-fields';
import { TaskCustomerField } from './task-customer-field';

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
  const { form, mutation, submit } = useTaskForm({ open, task, viewer, onClose, onSaved });
  const { customer, phoneId, setPhoneId, number, setNumber, errors, clear } = form;
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
        <TaskCustomerField form={form} />
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
        <TaskAssignmentFields form={form} agents={agents} />
      </form>
    </Dialog>
  );
}
