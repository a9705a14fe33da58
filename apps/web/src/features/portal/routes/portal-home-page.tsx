import { Navigate, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { FullPageSpinner } from '../../../components/full-page-spinner';
import { usePortalSubscriber } from '../api/get-portal-me';
import { usePortalLogout } from '../api/portal-login';

export function PortalHomePage() {
  const me = usePortalSubscriber();
  const logout = usePortalLogout();
  const navigate = useNavigate();
  if (me.isPending) return <FullPageSpinner />;
  if (!me.data) return <Navigate to="/portal/login" replace />;
  const s = me.data;
  return (
    <div className="min-h-screen">
      <header className="flex h-14 items-center justify-between border-slate-200 border-b bg-white px-6">
        <span className="font-semibold tracking-tight">Switchboard portal</span>
        <div className="flex items-center gap-3">
          <span className="text-sm text-slate-600" data-testid="portal-number">
            {s.phoneNumber}
          </span>
          <Button
            variant="secondary"
            onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/portal/login') })}
          >
            Sign out
          </Button>
        </div>
      </header>
      <main className="mx-auto max-w-3xl space-y-4 px-6 py-8">
        <Card title="Your account">
          <dl className="grid grid-cols-2 gap-y-2 text-sm">
            <dt className="text-slate-500">Balance</dt>
            <dd className="font-medium">
              {s.balance} {s.currency}
            </dd>
            <dt className="text-slate-500">Call-back number</dt>
            <dd className="font-medium">
              {s.callbackNumber
                ? `+${s.callbackNumber.countryCode} ${s.callbackNumber.areaCode} ${s.callbackNumber.number}`
                : 'Not registered yet'}
            </dd>
          </dl>
        </Card>
        <Card title="Web callback">
          <p className="text-sm text-slate-500">
            Not built yet: registering a call-back number and web callback arrive with the web-callback
            service.
          </p>
        </Card>
      </main>
    </div>
  );
}
