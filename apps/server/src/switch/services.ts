import type { SipStack } from '@switchboard/sip';
import type { AgentStateService } from '../agents/agent-state-service';
import type { Db } from '../db/database';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../observability/logger';
import type { QueueService } from '../queues/queue-service';
import type { SettingsStore } from '../settings/settings-store';
import type { CallRecords } from './call-records';
import type { Registrar } from './registrar/registrar';

/**
 * The application services the switch's call side works with: the ACD, agent state, the live
 * stream, settings (masking) and the call records. Handed in by the composition root; nothing here
 * knows about HTTP.
 */
export interface CallServices {
  sip: SipStack;
  db: Db;
  logger: Logger;
  events: EventBus;
  settings: SettingsStore;
  registrar: Registrar;
  agents: AgentStateService;
  queues: QueueService;
  records: CallRecords;
}
