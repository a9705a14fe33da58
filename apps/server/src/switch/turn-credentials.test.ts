import { describe, expect, it } from 'vitest';
import { issueIceServers, turnRestCredential } from './turn-credentials';

const secret = 'a-shared-secret-for-coturn';

describe('TURN REST credentials', () => {
  it('names the expiry and the party, signed with the shared secret as coturn checks it', () => {
    // The credential as `openssl dgst -sha1 -hmac <secret> -binary | base64` computes it.
    expect(turnRestCredential(secret, 'user-1', 1_700_000_000_400)).toEqual({
      username: '1700000000:user-1',
      credential: 'eG3/sJqoy10CEvZfbogUBwh1VkI=',
    });
  });

  it('gives each TURN server a credential valid for the configured time, and leaves STUN alone', () => {
    const config = {
      iceServers: [
        { urls: ['stun:turn.example.com'] },
        { urls: ['turn:turn.example.com', 'turns:turn.example.com'] },
      ],
      turnRest: { secret, ttlMs: 3_600_000 },
    };
    const issued = issueIceServers(config, 'user-7', 1_000_000_000_000);
    expect(issued.expiresAt).toBe(1_000_003_600_000);
    expect(issued.iceServers).toEqual([
      { urls: ['stun:turn.example.com'] },
      {
        urls: ['turn:turn.example.com', 'turns:turn.example.com'],
        ...turnRestCredential(secret, 'user-7', 1_000_003_600_000),
      },
    ]);
    // Another party or another time: another credential.
    expect(issueIceServers(config, 'user-8', 1_000_000_000_000).iceServers[1]).not.toEqual(
      issued.iceServers[1],
    );
  });

  it('hands out the configured servers as they are without a secret', () => {
    const fixed = [{ urls: ['turn:t.example.com'], username: 'switchboard', credential: 'relay' }];
    expect(issueIceServers({ iceServers: fixed, turnRest: null }, 'user-1', 5)).toEqual({
      iceServers: fixed,
      expiresAt: null,
    });
  });
});
