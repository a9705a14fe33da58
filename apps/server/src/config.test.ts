import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the runtime contract defaults', () => {
    const c = loadConfig({});
    expect(c.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.sip).toEqual({ host: '127.0.0.1', port: 5060, publicAddress: '127.0.0.1' });
    expect(c.rtp).toEqual({ portMin: 20000, portMax: 29999 });
    expect(c.database).toEqual({ kind: 'sqlite', file: './data/switchboard.db' });
    expect(c.trunk).toBeNull();
    expect(c.seedDemoData).toBe(true);
  });

  it('reads postgres URLs and trunk settings', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h/db',
      TRUNK_URI: 'sip:carrier.example:5060',
      TRUNK_USERNAME: 'u',
      TRUNK_PASSWORD: 'p',
      NODE_ENV: 'production',
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
    expect(c.trunk).toEqual({ uri: 'sip:carrier.example:5060', username: 'u', password: 'p' });
    expect(c.seedDemoData).toBe(false);
  });

  it('names every bad setting at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', RTP_PORT_MIN: '30000', RTP_PORT_MAX: '20000' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('DATABASE_URL must start with sqlite: or postgres://');
      expect(problems).not.toContain('RTP_PORT_MAX must be above');
    }
    expect(() => loadConfig({ RTP_PORT_MIN: '30000', RTP_PORT_MAX: '20000' })).toThrow(
      /RTP_PORT_MAX must be above/,
    );
  });

  it('never echoes a password', () => {
    expect(() => loadConfig({ TRUNK_USERNAME: 'u', TRUNK_PASSWORD: 'hunter2' })).toThrow(
      /TRUNK_URI is required/,
    );
    try {
      loadConfig({ TRUNK_USERNAME: 'u', TRUNK_PASSWORD: 'hunter2' });
    } catch (e) {
      expect(String(e)).not.toContain('hunter2');
    }
  });
});
