import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useChangePassword, useChangePin, usePortalAccount } from '../api/portal-account';
import { PortalLayout } from '../components/portal-layout';

export function PortalSecurityPage() {
  return (
    <PortalLayout>
      <PinCard />
      <PasswordCard />
    </PortalLayout>
  );
}

function PinCard() {
  const account = usePortalAccount();
  const change = useChangePin();
  const [pin, setPin] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const errors = fieldErrorsOf(change.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^[0-9]{4,10}$/.test(pin)) {
      setLocal('A PIN is 4 to 10 digits (no letters or spaces)');
      return;
    }
    setLocal(null);
    change.mutate(
      { pin, currentPassword },
      {
        onSuccess: () => {
          setPin('');
          setCurrentPassword('');
        },
      },
    );
  };
  return (
    <Card title="Phone PIN">
      <p className="mb-4 text-sm text-slate-500">
        The PIN you enter on the phone when you call from a number that is not authorized.{' '}
        {account.data ? (account.data.pinSet ? 'A PIN is set.' : 'No PIN is set yet.') : null}
      </p>
      <form onSubmit={submit} className="grid max-w-md gap-3" noValidate>
        {change.isSuccess ? <Alert tone="success">Your PIN is changed.</Alert> : null}
        {change.isError && !errors.pin && !errors.currentPassword ? (
          <Alert tone="error">{errorMessage(change.error)}</Alert>
        ) : null}
        <TextField
          label="New PIN"
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          hint="4 to 10 digits"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          error={local ?? errors.pin}
        />
        <TextField
          label="Your portal password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(e) => setCurrentPassword(e.target.value)}
          error={errors.currentPassword}
        />
        <div>
          <Button type="submit" disabled={change.isPending}>
            Change PIN
          </Button>
        </div>
      </form>
    </Card>
  );
}

function PasswordCard() {
  const change = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const errors = fieldErrorsOf(change.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (newPassword !== repeat) {
      setLocal('The two new passwords differ');
      return;
    }
    setLocal(null);
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrentPassword('');
          setNewPassword('');
          setRepeat('');
        },
      },
    );
  };
  return (
    <Card title="Portal password">
      <form onSubmit={submit} className="grid max-w-md gap-3" noValidate>
        {change.isSuccess ? <Alert tone="success">Your password is changed.</Alert> : null}
        {change.isError && !errors.newPassword && !errors.currentPassword ? (
          <Alert tone="error">{errorMessage(change.error)}</Alert>
        ) : null}
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(e) => setCurrentPassword(e.target.value)}
          error={errors.currentPassword}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          error={errors.newPassword}
        />
        <TextField
          label="New password again"
          name="repeat"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={local ?? undefined}
        />
        <div>
          <Button type="submit" disabled={change.isPending}>
            Change password
          </Button>
        </div>
      </form>
    </Card>
  );
}
