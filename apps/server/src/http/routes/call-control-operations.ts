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
  { method: 'get', path: '/calls/current', summary: 'Get calls current', access: 'agent' },
  {
    method: 'post',
    path: '/calls/{id}/hold',
    summary: 'Post calls hold',
    access: 'agent',
    params: callIdParamSchema,
    body: holdSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/mute',
    summary: 'Post calls mute',
    access: 'agent',
    params: callIdParamSchema,
    body: muteSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/dtmf',
    summary: 'Post calls dtmf',
    access: 'agent',
    params: callIdParamSchema,
    body: sendDtmfSchema,
  },
  {
    method: 'get',
    path: '/calls/{id}/transfer-targets',
    summary: 'Get calls transfer targets',
    access: 'agent',
    params: callIdParamSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/transfer',
    summary: 'Post calls transfer',
    access: 'agent',
    params: callIdParamSchema,
    body: blindTransferSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/consult',
    summary: 'Post calls consult',
    access: 'agent',
    params: callIdParamSchema,
    body: consultSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/consult/complete',
    summary: 'Post calls consult complete',
    access: 'agent',
    params: callIdParamSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/consult/conference',
    summary: 'Post calls consult conference',
    access: 'agent',
    params: callIdParamSchema,
  },
  {
    method: 'post',
    path: '/calls/{id}/consult/cancel',
    summary: 'Post calls consult cancel',
    access: 'agent',
    params: callIdParamSchema,
  },
]);
