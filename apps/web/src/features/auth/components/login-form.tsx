import { loginRequestSchema } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { TextField } from '../../../components/text-field';
import { ApiRequestError } from '../../../lib/api-client';
import { useLogin } from '../api/login';

export function LoginForm({ onSignedIn }: { onSignedIn: () => void }) {
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ username?: string; password?: string }>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = loginRequestSchema.safeParse({ username, password });
    if (!parsed.success) {
      const errs: typeof fieldErrors = {};
      for (const issue of parsed.error.issues)
        errs[issue.path[0] as 'username' | 'password'] ??= issue.message;
      setFieldErrors(errs);
      return;
    }
    setFieldErrors({});
    login.mutate(parsed.data, { onSuccess: onSignedIn });
  };

  const error = login.error;
  const message =
    error instanceof ApiRequestError
      ? error.status === 429
        ? `Too many failed attempts. Try again in ${error.retryAfterSeconds ?? 60} seconds.`
        : error.message
      : error
        ? 'Sign-in failed. Try again.'
        : null;

  return (
    <form onSubmit={submit} noValidate className="space-y-5">
      {message ? <Alert tone="error">{message}</Alert> : null}
      <TextField
        label="Agent name or agent ID"
        name="username"
        autoComplete="username"
        autoFocus
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={fieldErrors.username}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
        hint="Your extension password. Ask your administrator if you do not have one."
      />
      <Button type="submit" className="w-full" disabled={login.isPending}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
