// The official TypeScript SDK pointed at a test server: only the base path differs from the Segment setup.
import type { IncomingMessage } from 'node:http';
import * as PublicAPI from '@segment/public-api-sdk-typescript';
import { expect } from 'vitest';
import type { TestServer } from '../support/server.js';

export { PublicAPI };

export type SdkApis = PublicAPI.Apis;

/** Builds the SDK's consolidated client as its README does, then swaps the Segment host for the server's. */
export function sdkClient(server: TestServer, token: string = server.token): SdkApis {
  const apis = PublicAPI.configureApis(token);
  for (const api of Object.values(apis) as Array<{ basePath: string }>) api.basePath = server.url;
  return apis;
}

/** The request module's response: it keeps what went over the wire beside the SDK-deserialised body. */
type WireResponse = IncomingMessage & { body: unknown; request: { path: string; method: string; headers: Record<string, string> } };

export interface SdkCall<T> {
  status: number;
  /** `body.data` as the SDK model (`ObjectSerializer.deserialize` keeps only attributes the 47.0.0 model knows). */
  data: T;
  /** The JSON the server sent, as the request module parsed it. */
  raw: Record<string, unknown>;
  /** Path and query string exactly as the SDK sent them. */
  sentPath: string;
  sentHeaders: Record<string, string>;
}

// The SDK sets `json: true` without `gzip: true`: a compressed or non-JSON body reaches it as a string.
function expectParsedJson(response: WireResponse): void {
  expect(response.headers['content-encoding']).toBeUndefined();
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(typeof response.body).toBe('object');
  expect(response.body).not.toBeNull();
}

// The SDK's HttpError message is only "HTTP request failed"; name the status and envelope instead.
function describeFailure(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'HttpError') return error;
  const { statusCode, body } = error as PublicAPI.HttpError;
  return new Error(`SDK call failed with ${statusCode}: ${JSON.stringify(body)}`, { cause: error });
}

/** Awaits an SDK call that must succeed, checking the transport properties the SDK relies on. */
export async function sdkCall<T>(promise: Promise<{ response: IncomingMessage; body: { data?: T } }>): Promise<SdkCall<T>> {
  const { response, body } = await promise.catch((error: unknown) => {
    throw describeFailure(error);
  });
  const wire = response as WireResponse;
  expectParsedJson(wire);
  const raw = wire.body as Record<string, unknown>;
  expect(raw).toHaveProperty('data');
  expect(raw).not.toHaveProperty('errors');
  if (body.data === undefined) throw new Error('the SDK model has no data');
  return { status: response.statusCode ?? 0, data: body.data, raw, sentPath: wire.request.path, sentHeaders: wire.request.headers };
}

export interface SdkFailure {
  status: number;
  body: { errors: Array<{ type: string; message: string; field?: string; data?: Record<string, unknown> }> };
  headers: IncomingMessage['headers'];
}

/**
 * Awaits an SDK call that must fail; the SDK rejects with its HttpError carrying the parsed envelope.
 * The SDK is compiled to ES5, so `instanceof HttpError` is false: the error is recognised by its name.
 */
export async function sdkFailure(promise: Promise<unknown>): Promise<SdkFailure> {
  const error: unknown = await promise.then(
    () => {
      throw new Error('expected the SDK call to fail');
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toBe('HttpError');
  const httpError = error as PublicAPI.HttpError;
  expectParsedJson(httpError.response as WireResponse);
  expect(httpError.statusCode).toBe(httpError.response.statusCode);
  return { status: httpError.statusCode ?? 0, body: httpError.body as SdkFailure['body'], headers: httpError.response.headers };
}

export const BASE58_ID = /^[1-9A-HJ-NP-Za-km-z]{22}$/;
export const WRITE_KEY = /^[A-Za-z0-9]{32}$/;
export const MASKED = '••••••••••';

/** The SDK's `pagination` object, which `qs` sends as `pagination%5Bcount%5D=<count as a string>`. */
export function page(count: number, cursor?: string): PublicAPI.PaginationInput {
  return cursor === undefined ? { count } : { count, cursor };
}
