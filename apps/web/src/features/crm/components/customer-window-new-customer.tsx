import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { TextField } from '../../../components/text-field';
import { TextareaField } from '../../../components/textarea-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useCreateCustomer } from '../api/create-customer';

/**
 * The pop-up window lets the agent save a new customer to the CRM. The caller's
 * number is saved by reference to the call (`{ callId }`): the agent may only see it masked.
 */
export function CustomerWindowNewCustomer({
  callId,
  callerNumber,
  onSaved,
}: {
  callId: string;
  /** As the agent may see it (possibly masked); null when the caller withheld it. */
  callerNumber: string | null;
  onSaved: (customerId: number) => void;
}) {
  const create = useCreateCustomer();
  const [name, setName] = useState('');
  const [company, setCompany] = useState('');
  const [email, setEmail] = useState('');
  const [notes, setNotes] = useState('');
  const [typedNumber, setTypedNumber] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'Enter the customer name';
    if (callerNumber === null && !typedNumber.trim()) local['phones.0'] = 'Enter the customer’s number';
    setErrors(local);
    if (Object.keys(local).length) return;
    create.mutate(
      {
        name,
        company,
        email,
        notes,
        phones: [callerNumber === null ? typedNumber : { callId }],
      },
      {
        onSuccess: (res) => onSaved(res.customer.id),
        onError: (err) => setErrors(fieldErrorsOf(err)),
      },
    );
  };

  const formError = create.error && Object.keys(errors).length === 0 ? errorMessage(create.error) : null;
  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="New customer">
      <p className="text-sm text-slate-600">This caller is not one of your customers yet.</p>
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          autoComplete="off"
          required
        />
        {callerNumber === null ? (
          <TextField
            label="Phone number"
            value={typedNumber}
            onChange={(e) => setTypedNumber(e.target.value)}
            error={errors['phones.0']}
            hint="The caller withheld the number"
            inputMode="tel"
          />
        ) : (
          <TextField
            label="Phone number"
            value={callerNumber}
            readOnly
            error={errors['phones.0'] ?? errors['phones.0.callId']}
            hint="The caller’s number, saved from this call"
          />
        )}
        <TextField
          label="Company"
          value={company}
          onChange={(e) => setCompany(e.target.value)}
          error={errors.company}
        />
        <TextField
          label="Email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
        />
      </div>
      <TextareaField
        label="Notes"
        rows={2}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        error={errors.notes}
      />
      <div className="flex justify-end">
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Saving…' : 'Save customer'}
        </Button>
      </div>
    </form>
  );
}
