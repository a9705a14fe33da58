import type { Role } from '@switchboard/shared';
import { roleAtLeast } from '@switchboard/shared';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Card } from '../../components/card';
import { FullPageSpinner } from '../../components/full-page-spinner';
import { useCurrentUser } from './api/get-me';

export function RequireSession({ children }: { children: ReactNode }) {
  const me = useCurrentUser();
  const location = useLocation();
  if (me.isPending) return <FullPageSpinner />;
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return children;
}

export function RequireRole({ minRole: role, children }: { minRole: Role; children: ReactNode }) {
  const me = useCurrentUser();
  if (!me.data || !roleAtLeast(me.data.role, role)) {
    return (
      <Card>
        <p className="text-sm font-medium text-slate-900">You do not have access to this page.</p>
        <p className="mt-1 text-sm text-slate-500">
          It is for the {role} role. Ask an administrator if you need it.
        </p>
      </Card>
    );
  }
  return children;
}
