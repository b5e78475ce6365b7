import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * pino with redaction of every secret-looking field at the places a secret can appear in our
 * logs; the rest of the code redacts payloads with lib/redact before logging them.
 */
export function createLogger(level: string, destination?: DestinationStream, name = 'jdy-connector'): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'req.headers["x-fx-signature"]',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.secret',
        '*.token',
        '*.appSecret',
        '*.permanentCode',
        '*.corpAccessToken',
      ],
      censor: '***',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing, for tests and tools. */
export const silentLogger: Logger = pino({ level: 'silent' });
