/**
 * Tells a ClickHouse failure the rows caused from one the engine or the
 * machine caused. `@clickhouse/client` raises `ClickHouseError { code, type }`
 * over HTTP and from chDB alike. The numeric `code` is what is read: the
 * client parses `type` out of the message text, and a message that quotes
 * a type (`Array(UUID)`) comes out as type "UUID".
 *
 * Row-caused: the same rows fail the same way every time, so retrying them
 * stalls the partition for good. The consumer isolates them (bisecting the
 * batch) and dead-letters them with the engine's message.
 * Everything else (network, timeouts, memory, too many parts, disk, a table
 * that is missing or read-only) is transient: retried with backoff, and
 * reported through the consumer's health while it lasts.
 */
export const rowCausedCodes: ReadonlyMap<number, string> = new Map([
  [6, 'CANNOT_PARSE_TEXT'],
  [25, 'CANNOT_PARSE_ESCAPE_SEQUENCE'],
  [26, 'CANNOT_PARSE_QUOTED_STRING'],
  [27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  [38, 'CANNOT_PARSE_DATE'],
  [41, 'CANNOT_PARSE_DATETIME'],
  [53, 'TYPE_MISMATCH'],
  [69, 'ARGUMENT_OUT_OF_BOUND'],
  [70, 'CANNOT_CONVERT_TYPE'],
  [72, 'CANNOT_PARSE_NUMBER'],
  [117, 'INCORRECT_DATA'],
  [128, 'TOO_LARGE_ARRAY_SIZE'],
  [130, 'CANNOT_READ_ARRAY_FROM_TEXT'],
  [131, 'TOO_LARGE_STRING_SIZE'],
  [190, 'SIZES_OF_ARRAYS_DONT_MATCH'],
  [321, 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'],
  [349, 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN'],
  [366, 'SIZES_OF_NESTED_COLUMNS_ARE_INCONSISTENT'],
  [376, 'CANNOT_PARSE_UUID'],
  [467, 'CANNOT_PARSE_BOOL'],
  [469, 'VIOLATED_CONSTRAINT'],
]);

/** Engine codes seen as transient here, named so the health state reads well. */
const knownCodes: ReadonlyMap<number, string> = new Map([
  [60, 'UNKNOWN_TABLE'],
  [159, 'TIMEOUT_EXCEEDED'],
  [164, 'READONLY'],
  [241, 'MEMORY_LIMIT_EXCEEDED'],
  [243, 'NOT_ENOUGH_SPACE'],
  [252, 'TOO_MANY_PARTS'],
]);

/** The engine's numeric error code of a ClickHouse error, if it is one. */
export function clickHouseErrorCode(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const n = typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : typeof code === 'number' ? code : undefined;
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

export function isRowCaused(error: unknown): boolean {
  const code = clickHouseErrorCode(error);
  return code !== undefined && rowCausedCodes.has(code);
}

/** One line for the dead-letter log and the health state: the engine's code, its name, and the message. */
export function describeError(error: unknown): string {
  const code = clickHouseErrorCode(error);
  const message = error instanceof Error ? error.message.trim() : String(error);
  if (code === undefined) return message;
  const name = rowCausedCodes.get(code) ?? knownCodes.get(code);
  return `ClickHouse error ${code}${name ? ` ${name}` : ''}: ${message}`;
}
