import type { ReactNode } from 'react';
import { Navigate, NavLink, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { FullPageSpinner } from '../../../components/full-page-spinner';
import { usePortalSubscriber } from '../api/get-portal-me';
import { usePortalLogout } from '../api/portal-login';

const tabs = [
  { to: '/portal', label: 'Account', end: true },
  { to: '/portal/web-callback', label: 'Web callback', end: false },
  { to: '/portal/callback-number', label: 'Call-back number', end: false },
  { to: '/portal/caller-ids', label: 'Authorized caller IDs', end: false },
  { to: '/portal/sms-callback', label: 'SMS callback', end: false },
  { to: '/portal/calls', label: 'Call history', end: false },
  { to: '/portal/security', label: 'PIN & password', end: false },
];

/** The portal's frame: who is signed in, sign out, and the account's pages as tabs. */
export function PortalLayout({ children }: { children: ReactNode }) {
  const me = usePortalSubscriber();
  const logout = usePortalLogout();
  const navigate = useNavigate();
  if (me.isPending) return <FullPageSpinner />;
  if (!me.data) return <Navigate to="/portal/login" replace />;
  return (
    <div className="min-h-screen">
      <header className="flex h-14 items-center justify-between border-slate-200 border-b bg-white px-6">
        <span className="font-semibold tracking-tight">Switchboard portal</span>
        <div className="flex items-center gap-3">
          <span className="text-sm text-slate-600" data-testid="portal-number">
            {me.data.phoneNumber}
          </span>
          <Button
            variant="secondary"
            onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/portal/login') })}
          >
            Sign out
          </Button>
        </div>
      </header>
      <nav aria-label="Account" className="border-slate-200 border-b bg-white px-6">
        <ul className="mx-auto flex max-w-4xl gap-1 overflow-x-auto">
          {tabs.map((t) => (
            <li key={t.to}>
              <NavLink
                to={t.to}
                end={t.end}
                className={({ isActive }) =>
                  `inline-block border-b-2 px-3 py-2.5 text-sm font-medium whitespace-nowrap ${
                    isActive
                      ? 'border-brand-600 text-brand-700'
                      : 'border-transparent text-slate-600 hover:text-slate-900'
                  }`
                }
              >
                {t.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main className="mx-auto max-w-4xl space-y-4 px-6 py-8">{children}</main>
    </div>
  );
}

/** The viewer's own time zone: subscribers have no profile setting for it. */
export const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export const ledgerKindLabels: Record<string, string> = {
  top_up: 'Top-up',
  adjustment: 'Adjustment',
  call_debit: 'Call',
  reservation: 'Reserved for a call',
  release: 'Released',
};
