import type { Customer } from '@switchboard/shared';
import { type Dispatch, type FormEvent, type SetStateAction, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { TextField } from '../../../components/text-field';
import { TextareaField } from '../../../components/textarea-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useCreateCustomer } from '../api/create-customer';
import { useUpdateCustomer } from '../api/update-customer';
import { emptyPhoneErrors, newPhoneRow, type PhoneRow, phonesForRequest, rowsFromPhones } from './phone-rows';

interface CustomerFields {
  name: string;
  company: string;
  email: string;
  notes: string;
}

const fieldsOf = (customer: Customer | undefined): CustomerFields => ({
  name: customer?.name ?? '',
  company: customer?.company ?? '',
  email: customer?.email ?? '',
  notes: customer?.notes ?? '',
});

/** The customer form's fields, reset each time the dialog opens, and its checked submission. */
function useCustomerForm({
  open,
  customer,
  onClose,
  onSaved,
}: {
  open: boolean;
  customer: Customer | undefined;
  onClose: () => void;
  onSaved: ((customer: Customer) => void) | undefined;
}) {
  const create = useCreateCustomer();
  const update = useUpdateCustomer(customer?.id ?? 0);
  const mutation = customer ? update : create;
  const [fields, setFields] = useState<CustomerFields>(fieldsOf(customer));
  const [rows, setRows] = useState<PhoneRow[]>([newPhoneRow()]);
  const [errors, setErrors] = useState<Record<string, string>>({});

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the form each time it opens
  useEffect(() => {
    if (!open) return;
    setFields(fieldsOf(customer));
    setRows(customer ? rowsFromPhones(customer.phones) : [newPhoneRow()]);
    setErrors({});
    create.reset();
    update.reset();
  }, [open, customer]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local = {
      ...emptyPhoneErrors(rows),
      ...(fields.name.trim() ? {} : { name: 'Enter the customer name' }),
    };
    setErrors(local);
    if (Object.keys(local).length) return;
    const body = fields;
    const onSuccess = (res: { customer: Customer }) => {
      onSaved?.(res.customer);
      onClose();
    };
    const onError = (err: unknown) => setErrors(fieldErrorsOf(err));
    if (customer) update.mutate({ ...body, phones: phonesForRequest(rows) }, { onSuccess, onError });
    else create.mutate({ ...body, phones: phonesForRequest(rows) as string[] }, { onSuccess, onError });
  };
  const setField = (key: keyof CustomerFields, value: string) => setFields((f) => ({ ...f, [key]: value }));
  return { mutation, fields, setField, rows, setRows, errors, setErrors, submit };
}

/** "New customer" and "Edit customer": name, several phone numbers (add/remove rows), company, email, notes. */
export function CustomerFormDialog({
  open,
  customer,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** Edit this customer; create a new one when absent. */
  customer?: Customer;
  onClose: () => void;
  onSaved?: (customer: Customer) => void;
}) {
  const { mutation, fields, setField, rows, setRows, errors, setErrors, submit } = useCustomerForm({
    open,
    customer,
    onClose,
    onSaved,
  });
  const formError = mutation.error && Object.keys(errors).length === 0 ? errorMessage(mutation.error) : null;
  const formId = customer ? `customer-form-${customer.id}` : 'customer-form-new';
  const masked = customer?.numbersMasked ?? false;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={customer ? `Edit ${customer.name}` : 'New customer'}
      description={
        customer
          ? 'Change the contact details. Removing a number keeps its call history.'
          : 'Add the contact and every number you may call them on.'
      }
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} disabled={mutation.isPending}>
            {mutation.isPending ? 'Saving…' : customer ? 'Save changes' : 'Create customer'}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate className="space-y-4">
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        <TextField
          label="Name"
          name="name"
          autoFocus
          autoComplete="off"
          value={fields.name}
          onChange={(e) => {
            setField('name', e.target.value);
            setErrors(({ name: _, ...rest }) => rest);
          }}
          error={errors.name}
        />
        <PhoneNumbersFieldset
          rows={rows}
          setRows={setRows}
          errors={errors}
          clearErrors={() => setErrors({})}
          masked={masked}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Company (optional)"
            name="company"
            value={fields.company}
            onChange={(e) => setField('company', e.target.value)}
            error={errors.company}
          />
          <TextField
            label="Email (optional)"
            name="email"
            type="email"
            value={fields.email}
            onChange={(e) => setField('email', e.target.value)}
            error={errors.email}
          />
        </div>
        <TextareaField
          label="Notes (optional)"
          name="notes"
          value={fields.notes}
          onChange={(e) => setField('notes', e.target.value)}
          error={errors.notes}
        />
      </form>
    </Dialog>
  );
}

/** The customer's numbers, a row each (up to 10); a masked number stays as it is unless retyped. */
function PhoneNumbersFieldset({
  rows,
  setRows,
  errors,
  clearErrors,
  masked,
}: {
  rows: PhoneRow[];
  setRows: Dispatch<SetStateAction<PhoneRow[]>>;
  errors: Record<string, string>;
  clearErrors: () => void;
  masked: boolean;
}) {
  return (
    <fieldset>
      <legend className="block text-sm font-medium text-slate-700">Phone numbers</legend>
      <p className="mt-0.5 text-sm text-slate-500">
        With the country code (+44 20 7946 0958), or a national number of the default country.
      </p>
      <ul className="mt-2 space-y-2">
        {rows.map((row, i) => {
          const lockedMasked = masked && row.id !== undefined && row.value === row.original;
          return (
            <li key={row.key} className="flex items-start gap-2">
              <TextField
                className="flex-1"
                label={`Phone number ${i + 1}`}
                name={`phone-${i}`}
                inputMode="tel"
                autoComplete="off"
                value={row.value}
                readOnly={lockedMasked}
                hint={lockedMasked ? 'Hidden by number masking; kept as it is' : undefined}
                onChange={(e) =>
                  setRows((rs) => rs.map((r) => (r.key === row.key ? { ...r, value: e.target.value } : r)))
                }
                error={errors[`phones.${i}`]}
              />
              <Button
                variant="ghost"
                className="mt-6"
                aria-label={`Remove phone number ${i + 1}`}
                disabled={rows.length === 1}
                onClick={() => {
                  setRows((rs) => rs.filter((r) => r.key !== row.key));
                  clearErrors();
                }}
              >
                Remove
              </Button>
            </li>
          );
        })}
      </ul>
      {errors.phones ? <p className="mt-1 text-sm text-red-600">{errors.phones}</p> : null}
      <Button
        variant="secondary"
        className="mt-2"
        disabled={rows.length >= 10}
        onClick={() => setRows((rs) => [...rs, newPhoneRow()])}
      >
        Add another number
      </Button>
    </fieldset>
  );
}
