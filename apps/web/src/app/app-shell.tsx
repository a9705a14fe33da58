import { roleAtLeast } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { Button } from '../components/button';
import { useCurrentUser } from '../features/auth/api/get-me';
import { useLogout } from '../features/auth/api/logout';
import { ProfileDialog } from '../features/auth/components/profile-dialog';
import { CurrentCallPanel } from '../features/call-control/components/current-call-panel';
import { CampaignCallBar } from '../features/campaigns/components/campaign-call-bar';
import { CallbackReminder } from '../features/desk/components/callback-reminder';
import { ScreenPop } from '../features/desk/components/screen-pop';
import { SoftphoneProvider } from '../features/softphone/components/softphone-provider';
import { SoftphoneStatus } from '../features/softphone/components/softphone-status';
import { WrapUpBar } from '../features/wrap-up/components/wrap-up-bar';
import { LiveEventsProvider } from '../lib/live-events/live-events-provider';
import { LiveStatus } from '../lib/live-events/live-status';
import { HotkeysHelp } from './hotkeys-help';
import { type NavItem, navigation } from './navigation';

const sectionTitles: Record<NavItem['section'], string> = {
  desk: 'Agent desk',
  supervisor: 'Supervisor',
  admin: 'Administration',
};

export function AppShell() {
  const { data: user } = useCurrentUser();
  const logout = useLogout();
  const [profileOpen, setProfileOpen] = useState(false);
  const navigate = useNavigate();
  // The tab's title names the page (the softphone replaces it while a call rings).
  const { pathname } = useLocation();
  const page =
    navigation.find((n) => n.to === pathname) ??
    [...navigation]
      .sort((a, b) => b.to.length - a.to.length)
      .find((n) => n.to !== '/' && pathname.startsWith(n.to));
  useEffect(() => {
    document.title = `${page?.label ?? 'Switchboard'} · Switchboard`;
  }, [page]);
  if (!user) return null;
  const items = navigation.filter((n) => roleAtLeast(user.role, n.role));
  const sections = (['desk', 'supervisor', 'admin'] as const).filter((s) =>
    items.some((i) => i.section === s),
  );

  return (
    <LiveEventsProvider>
      <SoftphoneProvider userId={user.id} extension={user.extension}>
        <div className="flex min-h-screen">
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
          >
            Skip to content
          </a>
          <aside className="flex w-56 shrink-0 flex-col border-slate-200 border-r bg-white">
            <div className="flex h-14 items-center gap-2 border-slate-200 border-b px-4">
              <div className="flex h-7 w-7 items-center justify-center rounded-lg bg-brand-600 text-sm font-bold text-white">
                S
              </div>
              <span className="font-semibold tracking-tight">Switchboard</span>
            </div>
            <nav aria-label="Main" className="flex-1 space-y-5 overflow-y-auto px-3 py-4">
              {sections.map((section) => (
                <div key={section}>
                  <p className="px-2 pb-1 text-xs font-semibold tracking-wide text-slate-400 uppercase">
                    {sectionTitles[section]}
                  </p>
                  <ul className="space-y-0.5">
                    {items
                      .filter((i) => i.section === section)
                      .map((item) => (
                        <li key={item.to}>
                          <NavLink
                            to={item.to}
                            // A page with its own entry below this one (Statistics → Reports) lights only that entry.
                            end={item.to === '/' || navigation.some((n) => n.to.startsWith(`${item.to}/`))}
                            className={({ isActive }) =>
                              `block rounded-md px-2 py-1.5 text-sm ${isActive ? 'bg-brand-50 font-medium text-brand-700' : 'text-slate-700 hover:bg-slate-100'}`
                            }
                          >
                            {item.label}
                          </NavLink>
                        </li>
                      ))}
                  </ul>
                </div>
              ))}
            </nav>
          </aside>
          <div className="flex min-w-0 flex-1 flex-col">
            <header className="flex h-14 items-center justify-between gap-4 border-slate-200 border-b bg-white px-6">
              <div className="text-sm text-slate-500">
                {user.extension ? (
                  <span>
                    Extension <span className="font-medium text-slate-800">{user.extension.number}</span> ·{' '}
                    {user.extension.type === 'web' ? 'Web extension' : 'SIP extension (desk phone)'}
                  </span>
                ) : (
                  <span>No extension</span>
                )}
              </div>
              <div className="flex items-center gap-3">
                <LiveStatus />
                <HotkeysHelp />
                <SoftphoneStatus />
                <button
                  type="button"
                  className="rounded-md px-2 py-1 text-right hover:bg-slate-100"
                  onClick={() => setProfileOpen(true)}
                  title="Your settings (time zone)"
                  aria-label={`Your settings: ${user.displayName}, time zone ${user.timeZone}`}
                >
                  <p className="text-sm font-medium" data-testid="current-user">
                    {user.displayName}
                  </p>
                  <p className="text-xs text-slate-500">
                    <span className="capitalize">{user.role}</span>
                    {user.agentId ? ` · ID ${user.agentId}` : ''} · {user.timeZone}
                  </p>
                </button>
                <Button
                  variant="secondary"
                  onClick={() =>
                    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })
                  }
                  disabled={logout.isPending}
                >
                  Sign out
                </Button>
              </div>
            </header>
            {user.extension ? <CurrentCallPanel deskPhone={user.extension.type === 'sip'} /> : null}
            {user.extension ? <CampaignCallBar /> : null}
            <WrapUpBar isAgent={user.role === 'agent' || user.role === 'supervisor'} />
            <main id="main" className="flex-1 px-6 py-6">
              <Outlet />
            </main>
            <CallbackReminder timeZone={user.timeZone} />
            <ScreenPop viewer={user} />
            {profileOpen ? <ProfileDialog user={user} onClose={() => setProfileOpen(false)} /> : null}
          </div>
        </div>
      </SoftphoneProvider>
    </LiveEventsProvider>
  );
}
