// A switchyard/client pointed at a test server, with every request it sends recorded.
import { createClient, type ClientOptions, type SwitchyardClient } from '../../src/client/index.js';
import type { TestServer } from '../support/server.js';

export interface SentRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  status: number;
}

export interface RecordingClient {
  client: SwitchyardClient;
  sent: SentRequest[];
}

export function recordingClient(server: TestServer, options: Partial<ClientOptions> = {}): RecordingClient {
  const sent: SentRequest[] = [];
  const client = createClient({
    baseUrl: server.url,
    token: server.token,
    ...options,
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      const { pathname, search } = new URL(url);
      sent.push({
        method: init.method ?? 'GET',
        path: `${pathname}${search}`,
        headers: { ...(init.headers as Record<string, string>) },
        body: typeof init.body === 'string' ? init.body : undefined,
        status: response.status,
      });
      return response;
    },
  });
  return { client, sent };
}

export const BASE58_ID = /^[1-9A-HJ-NP-Za-km-z]{22}$/;
export const WRITE_KEY = /^[A-Za-z0-9]{32}$/;
export const MASKED = '••••••••••';
export const AMPLITUDE = '54521fd525e721e32a72ee91';
export const WEBHOOK = '614a3c7d791c91c41bae7599';
export const JAVASCRIPT_SOURCE = 'IqDTy1TpoU';
export const HTTP_API_SOURCE = 'iUM16Md8P2';

/** Resolves with what a call rejected with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}
