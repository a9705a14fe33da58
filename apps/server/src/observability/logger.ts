import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-context';

export type { Logger };

/** JSON lines to stdout, or to `destination` (tests read the lines fail2ban would). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'switchboard' },
    // Lines written while serving a request (and by the calls it starts) carry its id.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
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
  };
  return destination ? pino(options, destination) : pino(options);
}
