import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'switchboard' },
    // Never write a credential to the log, wherever it appears in a logged object.
    redact: {
      paths: [
        'password',
        '*.password',
        'req.headers.cookie',
        'headers.cookie',
        '*.sip_secret',
        '*.password_hash',
      ],
      censor: '[redacted]',
    },
  });
}
