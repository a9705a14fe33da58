import { nodeDrainOperations } from '../admin/node-drain-operations';
import { settingsOperations } from '../admin/settings-operations';
import { sipBansOperations } from '../admin/sip-bans-operations';
import { subscribersOperations } from '../admin/subscribers-operations';
import { agentStateOperations } from '../agents/agent-state-operations';
import { pauseReasonAdminOperations } from '../agents/pause-reason-admin-operations';
import { apiTokenOperations } from '../api-tokens/api-token-operations';
import { callbackPlansOperations } from '../callback-plans/callback-plans-operations';
import { dialingPolicyOperations } from '../callback-plans/dialing-policy-operations';
import { callbackServicesOperations } from '../callback-services/callback-services-operations';
import { smsOperations } from '../callback-services/sms-operations';
import { campaignsOperations } from '../campaigns/campaigns-operations';
import { cdrOperations } from '../cdr/cdr-operations';
import { customerCsvOperations } from '../customers/customer-csv-operations';
import { customersOperations } from '../customers/customers-operations';
import { dialTasksOperations } from '../dial-tasks/dial-tasks-operations';
import { doNotCallOperations } from '../dialer/do-not-call-operations';
import { dispositionOperations } from '../dispositions/disposition-operations';
import { eventsOperations } from '../events/events-operations';
import { flowsOperations } from '../flows/flows-operations';
import { authOperations } from '../http/routes/auth-operations';
import { callControlOperations } from '../http/routes/call-control-operations';
import { callQualityOperations } from '../http/routes/call-quality-operations';
import { callsOperations } from '../http/routes/calls-operations';
import { directoryOperations } from '../http/routes/directory-operations';
import { portalAuthOperations } from '../http/routes/portal-auth-operations';
import { inboundRouteAdminOperations } from '../inbound-routes/inbound-route-admin-operations';
import { monitoringOperations } from '../monitoring/monitoring-operations';
import { queuedCallbackOperations } from '../queued-callbacks/queued-callback-operations';
import { queueAdminOperations } from '../queues/queue-admin-operations';
import { queueOperations } from '../queues/queue-operations';
import { rateTablesOperations } from '../rating/rate-tables-operations';
import { recordingsOperations } from '../recordings/recordings-operations';
import { reportsOperations } from '../reports/reports-operations';
import { networkCheckOperations } from '../softphone/network-check-operations';
import { softphoneOperations } from '../softphone/softphone-operations';
import { soundsOperations } from '../sounds/sounds-operations';
import { portalOperations } from '../subscribers/portal-operations';
import { trunkAdminOperations } from '../switch/trunks/trunk-admin-operations';
import { usersOperations } from '../users/users-operations';
import { wallboardOperations } from '../wallboard/wallboard-operations';
import { webCallbackOperations } from '../web-callback/web-callback-operations';
import { webhookOperations } from '../webhooks/webhook-operations';
import { openapiOperations } from './openapi-operations';
import type { Operation } from './operation';

/** Every operation under /api, feature by feature. A route missing here fails the OpenAPI test. */
export const apiOperations: Operation[] = [
  ...customerCsvOperations,
  ...customersOperations,
  ...callbackPlansOperations,
  ...dialTasksOperations,
  ...campaignsOperations,
  ...cdrOperations,
  ...reportsOperations,
  ...recordingsOperations,
  ...callsOperations,
  ...callControlOperations,
  ...callQualityOperations,
  ...networkCheckOperations,
  ...settingsOperations,
  ...sipBansOperations,
  ...nodeDrainOperations,
  ...usersOperations,
  ...queueAdminOperations,
  ...pauseReasonAdminOperations,
  ...inboundRouteAdminOperations,
  ...trunkAdminOperations,
  ...queueOperations,
  ...queuedCallbackOperations,
  ...agentStateOperations,
  ...portalOperations,
  ...subscribersOperations,
  ...rateTablesOperations,
  ...webCallbackOperations,
  ...flowsOperations,
  ...callbackServicesOperations,
  ...smsOperations,
  ...soundsOperations,
  ...doNotCallOperations,
  ...dispositionOperations,
  ...monitoringOperations,
  ...wallboardOperations,
  ...dialingPolicyOperations,
  ...apiTokenOperations,
  ...webhookOperations,
  ...authOperations,
  ...portalAuthOperations,
  ...directoryOperations,
  ...eventsOperations,
  ...softphoneOperations,
  ...openapiOperations,
];
