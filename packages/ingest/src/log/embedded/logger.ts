/**
 * The logger the embedded log writes to: pino's call shape (fields first),
 * so a pino logger can be passed as is. Nothing is logged by default.
 */
export interface EmbeddedLogLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const noop = (): void => undefined;

export const silentLogger: EmbeddedLogLogger = { debug: noop, info: noop, warn: noop, error: noop };
