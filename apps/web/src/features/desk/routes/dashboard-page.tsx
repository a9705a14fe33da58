import type { ReactNode } from 'react';
import { Card } from '../../../components/card';
import { PageHeader } from '../../../components/page-header';
import { useCurrentUser } from '../../auth/api/get-me';

export function DashboardPage({ notices }: { notices?: ReactNode }) {
  const { data: user } = useCurrentUser();
  if (!user) return null;
  return (
    <div>
      <PageHeader title={`Welcome, ${user.displayName}`} description="Your agent desk." />
      {notices ? <div className="mb-4 space-y-3">{notices}</div> : null}
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Your extension">
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
            <p className="text-sm text-slate-500">
              You have no extension. Ask your administrator to assign one.
            </p>
          )}
        </Card>
        <Card title="Softphone and live desk">
          <p className="text-sm text-slate-500">
            Not built yet: the softphone, agent state, waiting calls and rates arrive with the live desk.
          </p>
        </Card>
      </div>
    </div>
  );
}
