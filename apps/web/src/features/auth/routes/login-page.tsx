import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { FullPageSpinner } from '../../../components/full-page-spinner';
import { useCurrentUser } from '../api/get-me';
import { LoginForm } from '../components/login-form';

export function LoginPage() {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  if (me.isPending) return <FullPageSpinner />;
  if (me.data) return <Navigate to={next} replace />;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <div className="mx-auto mb-3 flex h-11 w-11 items-center justify-center rounded-xl bg-brand-600 text-lg font-bold text-white">
            S
          </div>
          <h1 className="text-2xl font-semibold tracking-tight">Sign in to Switchboard</h1>
          <p className="mt-1 text-sm text-slate-500">The agent desk for your call center</p>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <LoginForm onSignedIn={() => navigate(next, { replace: true })} />
        </div>
        <p className="mt-6 text-center text-sm text-slate-500">
          Subscriber?{' '}
          <a className="font-medium text-brand-600 hover:underline" href="/portal/login">
            Sign in to the portal
          </a>
        </p>
      </div>
    </main>
  );
}

/** Only same-app paths may be a redirect target after sign-in. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}
