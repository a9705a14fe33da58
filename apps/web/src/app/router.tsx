import { createBrowserRouter, Navigate, Outlet } from 'react-router';
import { NotBuiltYet } from '../components/not-built-yet';
import { RateTablePage } from '../features/admin/routes/rate-table-page';
import { RateTablesPage } from '../features/admin/routes/rate-tables-page';
import { RoutingPage } from '../features/admin/routes/routing-page';
import { SettingsPage } from '../features/admin/routes/settings-page';
import { SipBansPage } from '../features/admin/routes/sip-bans-page';
import { SubscriberPage } from '../features/admin/routes/subscriber-page';
import { SubscribersPage } from '../features/admin/routes/subscribers-page';
import { TrunksPage } from '../features/admin/routes/trunks-page';
import { UsersPage } from '../features/admin/routes/users-page';
import { WebCallbackPage } from '../features/admin/routes/web-callback-page';
import { RequireRole, RequireSession } from '../features/auth/require-session';
import { LoginPage } from '../features/auth/routes/login-page';
import { CallbackServicesPage } from '../features/callback-services/routes/callback-services-page';
import { CampaignsPage } from '../features/campaigns/routes/campaigns-page';
import { DialerPage } from '../features/dialer/routes/dialer-page';
import { FlowsPage } from '../features/flows/routes/flows-page';
import { ApiTokensPage } from '../features/integrations/routes/api-tokens-page';
import { WebhooksPage } from '../features/integrations/routes/webhooks-page';
import { PortalCallbackNumberPage } from '../features/portal/routes/portal-callback-number-page';
import { PortalCallerIdsPage } from '../features/portal/routes/portal-caller-ids-page';
import { PortalCallsPage } from '../features/portal/routes/portal-calls-page';
import { PortalHomePage } from '../features/portal/routes/portal-home-page';
import { PortalLoginPage } from '../features/portal/routes/portal-login-page';
import { PortalSecurityPage } from '../features/portal/routes/portal-security-page';
import { PortalSmsCallbackPage } from '../features/portal/routes/portal-sms-callback-page';
import { PortalWebCallbackPage } from '../features/portal/routes/portal-web-callback-page';
import { RecordingsPage } from '../features/recordings/routes/recordings-page';
import { SoundLibraryPage } from '../features/sounds/routes/sound-library-page';
import { CdrPage } from '../features/statistics/routes/cdr-page';
import { StatisticsPage } from '../features/statistics/routes/statistics-page';
import { AgentsPage } from '../features/supervisor/routes/agents-page';
import { QueuesPage } from '../features/supervisor/routes/queues-page';
import { WallboardPage } from '../features/wallboard/routes/wallboard-page';
import { LiveEventsProvider } from '../lib/live-events/live-events-provider';
import { AppShell } from './app-shell';
import { CallbackPlansRoute, CrmRoute, CustomerRoute, TasksRoute } from './routes/crm-routes';
import { CustomerWindowRoute } from './routes/customer-window-route';
import { DashboardRoute } from './routes/desk-routes';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/portal/login', element: <PortalLoginPage /> },
  { path: '/portal', element: <PortalHomePage /> },
  { path: '/portal/web-callback', element: <PortalWebCallbackPage /> },
  { path: '/portal/callback-number', element: <PortalCallbackNumberPage /> },
  { path: '/portal/caller-ids', element: <PortalCallerIdsPage /> },
  { path: '/portal/sms-callback', element: <PortalSmsCallbackPage /> },
  { path: '/portal/calls', element: <PortalCallsPage /> },
  { path: '/portal/security', element: <PortalSecurityPage /> },
  {
    // The screen pop's window: signed in, without the desk's chrome.
    path: '/desk/customer-window',
    element: (
      <RequireSession>
        <CustomerWindowRoute />
      </RequireSession>
    ),
  },
  {
    // The wallboard for a wall screen: no desk (softphone, navigation), only wallboard events.
    path: '/wallboard/display',
    element: (
      <RequireSession>
        <RequireRole minRole="supervisor">
          <LiveEventsProvider types={['wallboard']}>
            <WallboardPage display />
          </LiveEventsProvider>
        </RequireRole>
      </RequireSession>
    ),
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <DashboardRoute /> },
      {
        path: 'cdr',
        element: <CdrPage />,
      },
      {
        path: 'recordings',
        element: <RecordingsPage />,
      },
      { path: 'crm', element: <CrmRoute /> },
      { path: 'crm/customers/:id', element: <CustomerRoute /> },
      { path: 'callbacks', element: <CallbackPlansRoute /> },
      { path: 'tasks', element: <TasksRoute /> },
      {
        path: 'statistics',
        element: <StatisticsPage />,
      },
      {
        // The charts (and their library) load only when reports are opened.
        path: 'statistics/reports',
        element: (
          <RequireRole minRole="supervisor">
            <Outlet />
          </RequireRole>
        ),
        children: [
          {
            index: true,
            lazy: async () => ({
              Component: (await import('../features/statistics/routes/reports-page')).ReportsPage,
            }),
          },
        ],
      },
      {
        path: 'supervisor',
        element: (
          <RequireRole minRole="supervisor">
            <Outlet />
          </RequireRole>
        ),
        children: [
          { index: true, element: <Navigate to="agents" replace /> },
          { path: 'agents', element: <AgentsPage /> },
          { path: 'queues', element: <QueuesPage /> },
          { path: 'wallboard', element: <WallboardPage /> },
          { path: 'campaigns', element: <CampaignsPage /> },
          {
            path: '*',
            element: <NotBuiltYet title="Page not found" what="There is no page at this address." />,
          },
        ],
      },
      {
        // Call flows: administrators edit, supervisors read.
        path: 'flows',
        element: (
          <RequireRole minRole="supervisor">
            <Outlet />
          </RequireRole>
        ),
        children: [
          { index: true, element: <FlowsPage /> },
          {
            // The canvas editor (and its graph library) loads only when a flow is opened.
            path: ':id',
            lazy: async () => ({
              Component: (await import('../features/flows/routes/flow-editor-page')).FlowEditorPage,
            }),
          },
        ],
      },
      {
        path: 'admin',
        element: (
          <RequireRole minRole="admin">
            <Outlet />
          </RequireRole>
        ),
        children: [
          { index: true, element: <Navigate to="users" replace /> },
          { path: 'users', element: <UsersPage /> },
          { path: 'routing', element: <RoutingPage /> },
          { path: 'trunks', element: <TrunksPage /> },
          { path: 'sip-bans', element: <SipBansPage /> },
          { path: 'subscribers', element: <SubscribersPage /> },
          { path: 'subscribers/:id', element: <SubscriberPage /> },
          { path: 'rate-tables', element: <RateTablesPage /> },
          { path: 'rate-tables/:id', element: <RateTablePage /> },
          { path: 'callback-services', element: <CallbackServicesPage /> },
          { path: 'sounds', element: <SoundLibraryPage /> },
          { path: 'settings', element: <SettingsPage /> },
          { path: 'web-callback', element: <WebCallbackPage /> },
          { path: 'dialer', element: <DialerPage /> },
          { path: 'api-tokens', element: <ApiTokensPage /> },
          { path: 'webhooks', element: <WebhooksPage /> },
          {
            path: '*',
            element: <NotBuiltYet title="Page not found" what="There is no page at this address." />,
          },
        ],
      },
      { path: '*', element: <NotBuiltYet title="Page not found" what="There is no page at this address." /> },
    ],
  },
]);
