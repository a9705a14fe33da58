import { useCurrentUser } from '../../features/auth/api/get-me';
import { CustomerCallbackPlans } from '../../features/callback-plans/components/customer-callback-plans';
import { CallbackPlansPage } from '../../features/callback-plans/routes/callback-plans-page';
import { CrmPage } from '../../features/crm/routes/crm-page';
import { CustomerPage } from '../../features/crm/routes/customer-page';
import { TasksPage } from '../../features/dial-tasks/routes/tasks-page';

/*
 * The app composes features: the CRM, callback plans and dial tasks pages get the signed-in user from
 * here, and the customer page gets the callback-plans panel, so no feature imports another.
 */

export function CrmRoute() {
  const { data: user } = useCurrentUser();
  return user ? <CrmPage viewer={user} /> : null;
}

export function CustomerRoute() {
  const { data: user } = useCurrentUser();
  if (!user) return null;
  return (
    <CustomerPage
      viewer={user}
      callbackPlans={(customer) => <CustomerCallbackPlans viewer={user} customer={customer} />}
    />
  );
}

export function CallbackPlansRoute() {
  const { data: user } = useCurrentUser();
  return user ? <CallbackPlansPage viewer={user} /> : null;
}

export function TasksRoute() {
  const { data: user } = useCurrentUser();
  return user ? <TasksPage viewer={user} /> : null;
}
