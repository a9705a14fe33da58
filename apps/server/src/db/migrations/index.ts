import type { Migration } from 'kysely';
import * as m0001 from './0001_initial_schema';
import * as m0003 from './0003_cdr_search';
import * as m0004 from './0004_cdr_queue_index';
import * as m0005 from './0005_cdr_duration_index';
import * as m0006 from './0006_call_service';
import * as m0007 from './0007_prepaid_rating';
import * as m0008 from './0008_web_callback';
import * as m0009 from './0009_callback_services';
import * as m0010 from './0010_call_flows';
import * as m0011 from './0011_dialer';
import * as m0012 from './0012_customer_phone_digits';
import * as m0013 from './0013_node_heartbeats';
import * as m0014 from './0014_callback_timings_ms';
import * as m0015 from './0015_flow_callbacks_counts';
import * as m0016 from './0016_dispositions';
import * as m0019 from './0019_dialer_zones_caller_ids';
import * as m0023 from './0023_user_time_zone_optional';
import * as m0024 from './0024_queued_callbacks';
import * as m0025 from './0025_api_tokens';
import * as m0026 from './0026_webhooks';
import * as m0027 from './0027_campaigns';
import * as m0029 from './0029_queue_service_level_target';
import * as m0030 from './0030_agent_sessions';
import * as m0031 from './0031_predictive_campaigns';
import * as m0032 from './0032_queued_callback_order';
import * as m0033 from './0033_sign_in_failures';

/** Ordered by name; a new migration is a new file added here, never an edit of an applied one. */
export const migrations: Record<string, Migration> = {
  '0001_initial_schema': m0001,
  '0003_cdr_search': m0003,
  '0004_cdr_queue_index': m0004,
  '0005_cdr_duration_index': m0005,
  '0006_call_service': m0006,
  '0007_prepaid_rating': m0007,
  '0008_web_callback': m0008,
  '0009_callback_services': m0009,
  '0010_call_flows': m0010,
  '0011_dialer': m0011,
  '0012_customer_phone_digits': m0012,
  '0013_node_heartbeats': m0013,
  '0014_callback_timings_ms': m0014,
  '0015_flow_callbacks_counts': m0015,
  '0016_dispositions': m0016,
  '0019_dialer_zones_caller_ids': m0019,
  '0023_user_time_zone_optional': m0023,
  '0024_queued_callbacks': m0024,
  '0025_api_tokens': m0025,
  '0026_webhooks': m0026,
  '0027_campaigns': m0027,
  '0029_queue_service_level_target': m0029,
  '0030_agent_sessions': m0030,
  '0031_predictive_campaigns': m0031,
  '0032_queued_callback_order': m0032,
  '0033_sign_in_failures': m0033,
};
