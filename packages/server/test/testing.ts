/**
 * `@cordon/server/testing`: the whole Cordon for other packages' tests. The
 * harness (`startTestCordon`, driven through `app.request()`) and the same
 * Cordon served over real HTTP (`serveTestCordon`), with the demo loader.
 */
export { adminKey, startTestCordon, TestClient, waitFor, newId, event } from './harness.ts';
export { serveTestCordon, type ServedCordon } from './served.ts';
