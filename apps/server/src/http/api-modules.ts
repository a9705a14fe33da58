import { nodeDrainRoutes } from '../admin/node-drain-routes';
import { settingsRoutes } from '../admin/settings-routes';
import { sipBansRoutes } from '../admin/sip-bans-routes';
import { subscribersRoutes } from '../admin/subscribers-routes';
import { agentStateRoutes } from '../agents/agent-state-routes';
import { pauseReasonAdminRoutes } from '../agents/pause-reason-admin-routes';
import { apiTokenRoutes } from '../api-tokens/api-token-routes';
import { callbackPlansRoutes } from '../callback-plans/callback-plans-routes';
import { dialingPolicyApi } from '../callback-plans/dialing-policy-api';
import { callbackServicesRoutes } from '../callback-services/callback-services-routes';
import { smsRoutes } from '../callback-services/sms-routes';
import { campaignsRoutes } from '../campaigns/campaigns-routes';
import { cdrRoutes } from '../cdr/cdr-routes';
import { customerCsvRoutes } from '../customers/customer-csv-routes';
import { customersRoutes } from '../customers/customers-routes';
import { dialTasksRoutes } from '../dial-tasks/dial-tasks-routes';
import { doNotCallApi } from '../dialer/do-not-call-api';
import { dispositionRoutes } from '../dispositions/disposition-routes';
import { flowsRoutes } from '../flows/flows-routes';
import { inboundRouteAdminRoutes } from '../inbound-routes/inbound-route-admin-routes';
import { monitoringRoutes } from '../monitoring/monitoring-routes';
import { openapiRoutes } from '../openapi/openapi-routes';
import { queuedCallbackRoutes } from '../queued-callbacks/queued-callback-routes';
import { queueAdminRoutes } from '../queues/queue-admin-routes';
import { queueRoutes } from '../queues/queue-routes';
import { rateTablesRoutes } from '../rating/rate-tables-routes';
import { recordingsRoutes } from '../recordings/recordings-routes';
import { reportsRoutes } from '../reports/reports-routes';
import { networkCheckRoutes } from '../softphone/network-check-routes';
import { soundsRoutes } from '../sounds/sounds-routes';
import { portalRoutes } from '../subscribers/portal-routes';
import { trunkAdminRoutes } from '../switch/trunks/trunk-admin-routes';
import { usersRoutes } from '../users/users-routes';
import { wallboardRoutes } from '../wallboard/wallboard-routes';
import { webCallbackRoutes } from '../web-callback/web-callback-routes';
import { webhookRoutes } from '../webhooks/webhook-routes';
import type { ApiModule } from './api-module';
import { callQualityRoutes } from './routes/call-quality-routes';
import { callsRoutes } from './routes/calls-routes';

/**
 * Every feature's API, mounted under /api by createApp. A feature adds its module here; the module
 * brings its own role checks (requireRole) and zod validation.
 */
export const apiModules: ApiModule[] = [
  // Before customersRoutes, whose /customers/:id would take /customers/export.csv.
  customerCsvRoutes,
  customersRoutes,
  callbackPlansRoutes,
  dialTasksRoutes,
  campaignsRoutes,
  cdrRoutes,
  recordingsRoutes,
  callsRoutes,
  callQualityRoutes,
  networkCheckRoutes,
  settingsRoutes,
  sipBansRoutes,
  nodeDrainRoutes,
  usersRoutes,
  // Where calls go: queues and their members, pause reasons, inbound numbers, carrier trunks.
  queueAdminRoutes,
  pauseReasonAdminRoutes,
  inboundRouteAdminRoutes,
  trunkAdminRoutes,
  queueRoutes,
  queuedCallbackRoutes,
  agentStateRoutes,
  // Prepaid accounts and rating.
  portalRoutes,
  subscribersRoutes,
  rateTablesRoutes,
  webCallbackRoutes,
  // Call flows (IVR).
  flowsRoutes,
  // Callback services (access-number and SMS callback).
  callbackServicesRoutes,
  smsRoutes,
  // The sound library (callback services, IVR flows).
  soundsRoutes,
  // The dialer.
  doNotCallApi,
  // Wrap-up dispositions.
  dispositionRoutes,
  // Supervisors: call monitoring.
  monitoringRoutes,
  wallboardRoutes,
  reportsRoutes,
  dialingPolicyApi,
  // Integrations: API tokens and webhooks.
  apiTokenRoutes,
  webhookRoutes,
  // The published API document and its docs page.
  openapiRoutes,
];
