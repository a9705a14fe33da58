import { describe, expect, it } from 'vitest';
import { softphoneWebSocketUrl } from './websocket-url';

describe("the softphone's WebSocket URL", () => {
  it("keeps the server's URL on an http page", () => {
    expect(
      softphoneWebSocketUrl('ws://127.0.0.1:8080/sip?token=a', { protocol: 'http:', host: '127.0.0.1:8080' }),
    ).toBe('ws://127.0.0.1:8080/sip?token=a');
  });

  it("keeps the server's wss:// URL on an https page", () => {
    expect(
      softphoneWebSocketUrl('wss://pbx.example.com/sip?token=a', {
        protocol: 'https:',
        host: 'pbx.example.com',
      }),
    ).toBe('wss://pbx.example.com/sip?token=a');
  });

  it('opens wss:// on the page host when a TLS proxy left the server saying ws://', () => {
    expect(
      softphoneWebSocketUrl('ws://127.0.0.1:8080/sip?token=a%2Bb', {
        protocol: 'https:',
        host: 'pbx.example.com:8443',
      }),
    ).toBe('wss://pbx.example.com:8443/sip?token=a%2Bb');
  });
});
