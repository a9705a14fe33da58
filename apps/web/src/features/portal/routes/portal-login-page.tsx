import { portalLoginRequestSchema } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { FullPageSpinner } from '../../../components/full-page-spinner';
import { TextField } from '../../../components/text-field';
import { ApiRequestError } from '../../../lib/api-client';
import { usePortalSubscriber } from '../api/get-portal-me';
import { usePortalLogin } from '../api/portal-login';

export function PortalLoginPage() {
  const me = usePortalSubscriber();
  const login = usePortalLogin();
  const navigate = useNavigate();
  const [phoneNumber, setPhoneNumber] = useState('');
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);

  if (me.isPending) return <FullPageSpinner />;
  if (me.data) return <Navigate to="/portal" replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = portalLoginRequestSchema.safeParse({ phoneNumber, password });
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? 'Check the form');
      return;
    }
    setFieldError(null);
    login.mutate(parsed.data, { onSuccess: () => navigate('/portal', { replace: true }) });
  };
  const err = login.error;
  const message =
    err instanceof ApiRequestError
      ? err.status === 429
        ? `Too many failed attempts. Try again in ${err.retryAfterSeconds ?? 60} seconds.`
        : err.message
      : err
        ? 'Sign-in failed. Try again.'
        : fieldError;

  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <h1 className="text-2xl font-semibold tracking-tight">Subscriber portal</h1>
          <p className="mt-1 text-sm text-slate-500">Web callback and your account</p>
        </div>
        <form
          onSubmit={submit}
          noValidate
          className="space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200"
        >
          {message ? <Alert tone="error">{message}</Alert> : null}
          <TextField
            label="Soft-phone number"
            name="phoneNumber"
            inputMode="tel"
            autoComplete="username"
            autoFocus
            value={phoneNumber}
            onChange={(e) => setPhoneNumber(e.target.value)}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button type="submit" className="w-full" disabled={login.isPending}>
            {login.isPending ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
        <p className="mt-6 text-center text-sm text-slate-500">
          Agent?{' '}
          <a className="font-medium text-brand-600 hover:underline" href="/login">
            Sign in to the agent desk
          </a>
        </p>
      </div>
    </main>
  );
}
