// `switchyard/client`: a typed, dependency-free client for the Switchyard Public API, built on fetch.
export { createClient, paginate, type ClientOptions, type ListFunction, type SwitchyardClient } from './client.js';
export { SwitchyardApiError, SwitchyardNetworkError, type ApiErrorEntry } from './errors.js';
export { parseRetryAfter, type FetchLike, type RequestOptions, type RetryInfo, type TransportOptions } from './http.js';
export type * from './types.js';
