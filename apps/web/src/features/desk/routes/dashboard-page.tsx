import { roleAtLeast } from '@switchboard/shared';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Card } from '../../../components/card';
import { PageHeader } from '../../../components/page-header';
import { useCurrentUser } from '../../auth/api/get-me';
import { NotificationPrompt } from '../components/notification-prompt';
import { RateCard } from '../components/rate-card';
import { RecentCdrCard } from '../components/recent-cdr-card';
import { StateModule } from '../components/state-module';
import { WaitingListCard } from '../components/waiting-list-card';

/**
 * The desk's "Dashboard" part: notices, state, rates, recent calls and the queues' waiting calls ("States");
 * `cards`: other features' cards for the desk (the campaigns an agent joins).
 */
export function DashboardPage({ notices, cards }: { notices?: ReactNode; cards?: ReactNode }) {
  const { data: user } = useCurrentUser();
  if (!user) return null;
  const isDeskAgent = user.role !== 'admin' || user.extension !== null;
  return (
    <div>
      <PageHeader title={`Welcome, ${user.displayName}`} description="Your agent desk." />
      <div className="mb-4 space-y-3">
        {user.extension ? <NotificationPrompt /> : null}
        {notices}
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Your extension" className="min-w-0">
          {user.extension ? (
            <dl className="grid grid-cols-2 gap-y-2 text-sm">
              <dt className="text-slate-500">Number</dt>
              <dd className="font-medium">{user.extension.number}</dd>
              <dt className="text-slate-500">Type</dt>
              <dd className="font-medium">
                {user.extension.type === 'web'
                  ? 'Web extension (this browser)'
                  : 'SIP extension (desk phone)'}
              </dd>
              <dt className="text-slate-500">Recording</dt>
              <dd className="font-medium">{user.extension.recordingEnabled ? 'On' : 'Off'}</dd>
            </dl>
          ) : (
            <p className="text-sm text-slate-500" data-testid="no-extension">
              {user.role === 'admin' ? (
                <>
                  You have no extension. Give yourself one under{' '}
                  <Link to="/admin/users" className="font-medium text-brand-700 underline">
                    Users &amp; extensions
                  </Link>
                  .
                </>
              ) : (
                'You have no extension. Ask your administrator to assign one.'
              )}
            </p>
          )}
        </Card>
        {isDeskAgent ? <StateModule /> : null}
        {isDeskAgent ? cards : null}
        {isDeskAgent ? <RateCard userId={user.id} timeZone={user.timeZone} /> : null}
        {isDeskAgent ? <WaitingListCard canAssign={roleAtLeast(user.role, 'supervisor')} /> : null}
        {isDeskAgent ? <RecentCdrCard timeZone={user.timeZone} /> : null}
      </div>
    </div>
  );
}
