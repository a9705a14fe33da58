import type { AdminUser } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useResetPassword } from '../api/reset-password';

export function ResetPasswordDialog({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const reset = useResetPassword();
  const [password, setPassword] = useState('');
  const errors = fieldErrorsOf(reset.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate({ id: user.id, password });
  };
  return (
    <Dialog
      open
      size="sm"
      title={`Reset password · ${user.displayName}`}
      description="Their open sessions end; they sign in with the new password."
      onClose={onClose}
      footer={
        reset.isSuccess ? (
          <Button onClick={onClose}>Done</Button>
        ) : (
          <>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" form="reset-password" disabled={reset.isPending}>
              Reset password
            </Button>
          </>
        )
      }
    >
      {reset.isSuccess ? (
        <Alert tone="success">The password is reset.</Alert>
      ) : (
        <form id="reset-password" onSubmit={submit} className="space-y-3">
          {reset.isError && !errors.password ? <Alert tone="error">{errorMessage(reset.error)}</Alert> : null}
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
            required
          />
        </form>
      )}
    </Dialog>
  );
}
