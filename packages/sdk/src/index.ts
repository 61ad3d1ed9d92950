/**
 * `@cordon/sdk`: a typed client of the Cordon API for browsers and Node.
 * Node-only parts (the file queue store) are in `@cordon/sdk/node`.
 */
export {
  createClient,
  csvRoutes,
  routes,
  type BulletinFormat,
  type ClientOptions,
  type CordonClient,
  type CsvRouteName,
  type RouteName,
  type SendOptions,
  type SendResult,
} from './client.ts';
export {
  CordonAbortError,
  CordonNetworkError,
  CordonProblem,
  CordonTimeoutError,
  parseRetryAfter,
  retriableStatuses,
  type CordonError,
  type CordonErrorKind,
} from './errors.ts';
export { completeEvent, localTimestamp, mergeSummaries, serverLimits, splitIntoBatches, type Batch, type BatchLimits } from './events.ts';
export {
  createEventSender,
  createMemoryQueueStore,
  type EventSender,
  type EventSenderOptions,
  type FlushReport,
  type QueueStore,
  type RejectedEvent,
} from './sender.ts';
export {
  defaultTimeoutMs,
  retryDelay,
  type CallOptions,
  type FetchLike,
  type Result,
  type RetryInfo,
  type RetryOptions,
} from './transport.ts';
export type {
  CordonEvent,
  CordonEventType,
  DataOf,
  EventInput,
  FieldError,
  ImportSummary,
  MetricName,
  Operation,
  Problem,
  QueryOf,
  Schemas,
  components,
  paths,
} from './types.ts';
