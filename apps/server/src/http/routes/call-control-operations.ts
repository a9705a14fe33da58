import {
  blindTransferSchema,
  callIdParamSchema,
  consultSchema,
  holdSchema,
  muteSchema,
  sendDtmfSchema,
} from '@switchboard/shared';
import { defineOperations } from '../../openapi/operation';

/** What call-control-routes.ts serves, as /api/openapi.json publishes it. */
export const callControlOperations = defineOperations('Calls', [
  { method: 'get', path: '/calls/current', summary: 'My current calls', access: 'agent' },
  {
    method: 'post',
    path: '/calls/{id}/hold',
    summary: 'Hold or resume a call',
    access: 'agent',
    params: callIdParamSchema,
    body: holdSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/mute',
    summary: 'Mute or unmute a call',
    access: 'agent',
    params: callIdParamSchema,
    body: muteSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/dtmf',
    summary: 'Send DTMF digits on a call',
    access: 'agent',
    params: callIdParamSchema,
    body: sendDtmfSchema,
  },
  {
    method: 'get',
    path: '/calls/{id}/transfer-targets',
    summary: 'Transfer targets for a call',
    access: 'agent',
    params: callIdParamSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/transfer',
    summary: 'Blind-transfer a call',
    access: 'agent',
    params: callIdParamSchema,
    body: blindTransferSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/consult',
    summary: 'Start a consultation call',
    access: 'agent',
    params: callIdParamSchema,
    body: consultSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/consult/complete',
    summary: 'Complete an attended transfer',
    access: 'agent',
    params: callIdParamSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/consult/conference',
    summary: 'Join the consultation into a conference',
    access: 'agent',
    params: callIdParamSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/consult/cancel',
    summary: 'Cancel a consultation',
    access: 'agent',
    params: callIdParamSchema,
  },
]);
