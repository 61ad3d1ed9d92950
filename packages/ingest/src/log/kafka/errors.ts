/**
 * How the Kafka log classifies kafkajs's errors. Whether to retry is read
 * from the `retriable` flag kafkajs's errors carry (`../retry-policy.ts`);
 * what is decided here is what a caller of the log sees: LogUnavailableError
 * (the broker is away: retry later) or, for a write, an error saying the
 * records themselves were refused.
 */
import { LogUnavailableError } from '../event-log.ts';

/**
 * Broker errors that say the records are at fault, not the broker: retrying
 * the same append will fail the same way, so they are not LogUnavailableError.
 */
const RECORD_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
  'INVALID_REQUIRED_ACKS',
]);

/** The broker's error type (e.g. MESSAGE_TOO_LARGE) anywhere in the cause chain, if any. */
export function protocolErrorType(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string') return type;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const innerType = protocolErrorType(inner);
        if (innerType) return innerType;
      }
    }
    current = (current as { cause?: unknown; originalError?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/** A failed send as the appending caller sees it. */
export function classifyWriteError(error: unknown): Error {
  const type = protocolErrorType(error);
  if (type && RECORD_ERRORS.has(type)) {
    return new Error(`Kafka refused the records: ${type}`, { cause: error });
  }
  return unavailable('Kafka did not acknowledge the append', error);
}

/** `cause` as a LogUnavailableError saying what could not be done (kept as is if it already is one). */
export function unavailable(message: string, cause: unknown): LogUnavailableError {
  if (cause instanceof LogUnavailableError) return cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new LogUnavailableError(`${message}${detail}`, { cause });
}

/** A request the broker did not answer in time: the broker may come back, so retriable. */
export class DeadlineError extends Error {
  readonly retriable = true;
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/** Rejects after `ms` if `promise` has not settled; the promise goes on but its outcome is ignored. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(`timed out after ${ms} ms ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
