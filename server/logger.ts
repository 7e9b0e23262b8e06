// Structured logs. Redaction is a safety net: the code never logs bodies, tokens or secrets on purpose.
import { pino, type Logger } from 'pino';

export const REDACT_PATHS = [
  'secret',
  'token',
  'jws',
  'body',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.secret',
  '*.token',
  '*.jws',
  '*.body',
];

export function createLogger(level: string, pretty: boolean, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'hotline' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (destination) return pino(options, destination);
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino(options, pino.destination(2));
}
