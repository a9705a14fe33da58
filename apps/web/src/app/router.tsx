import { createBrowserRouter } from 'react-router';
import { NotBuiltYet } from '../components/not-built-yet';
import { RequireRole, RequireSession } from '../features/auth/require-session';
import { LoginPage } from '../features/auth/routes/login-page';
import { DashboardPage } from '../features/desk/routes/dashboard-page';
import { PortalHomePage } from '../features/portal/routes/portal-home-page';
import { PortalLoginPage } from '../features/portal/routes/portal-login-page';
import { AppShell } from './app-shell';
import { CallbackPlansRoute, CrmRoute, CustomerRoute, TasksRoute } from './routes/crm-routes';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/portal/login', element: <PortalLoginPage /> },
  { path: '/portal', element: <PortalHomePage /> },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <DashboardPage /> },
      {
        path: 'cdr',
        element: (
          <NotBuiltYet
            title="CDR"
            what="Your recent calls with a call-back button arrive with the records pages."
          />
        ),
      },
      {
        path: 'recordings',
        element: (
          <NotBuiltYet
            title="Recordings"
            what="The recording list, player and download arrive with the records pages."
          />
        ),
      },
      { path: 'crm', element: <CrmRoute /> },
      { path: 'crm/customers/:id', element: <CustomerRoute /> },
      { path: 'callbacks', element: <CallbackPlansRoute /> },
      { path: 'tasks', element: <TasksRoute /> },
      {
        path: 'statistics',
        element: (
          <NotBuiltYet title="Statistics" what="The CDR search and export arrive with the records pages." />
        ),
      },
      {
        path: 'supervisor/*',
        element: (
          <RequireRole minRole="supervisor">
            <NotBuiltYet
              title="Supervisor"
              what="Live agents and queues arrive with the queue and desk features."
            />
          </RequireRole>
        ),
      },
      {
        path: 'admin/*',
        element: (
          <RequireRole minRole="admin">
            <NotBuiltYet
              title="Administration"
              what="User, queue, route, trunk and masking management arrive with the records pages."
            />
          </RequireRole>
        ),
      },
      { path: '*', element: <NotBuiltYet title="Page not found" what="There is no page at this address." /> },
    ],
  },
]);
