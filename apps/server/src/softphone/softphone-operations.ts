import { defineOperations } from '../openapi/operation';

/** What softphone-routes.ts serves, as /api/openapi.json publishes it. */
export const softphoneOperations = defineOperations('Softphone', [
  {
    method: 'get',
    path: '/softphone/config',
    summary: "My softphone's SIP settings",
    description:
      "For a web extension: the WebSocket URL on the page's own origin (wss:// behind a TLS proxy in TRUST_PROXY), the SIP credentials and the STUN/TURN servers (TURN_URLS).",
    access: 'agent',
  },
  {
    method: 'get',
    path: '/softphone/ice-servers',
    summary: 'Fresh STUN/TURN credentials for my softphone',
    description:
      'The STUN/TURN servers with TURN credentials of their own when TURN_SECRET is set (coturn use-auth-secret), and when those expire; the desk renews them before then for the calls to come.',
    access: 'agent',
  },
]);
