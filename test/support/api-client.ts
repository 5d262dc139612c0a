// fetch() against a Switchyard Public API with a bearer token, JSON bodies made easy.
export type ApiRequestInit = RequestInit & { json?: unknown; token?: string | null };

export interface ApiClient {
  api(pathAndQuery: string, init?: ApiRequestInit): Promise<Response>;
}

export function apiClient(baseUrl: string, token: string): ApiClient {
  return {
    api: (pathAndQuery, init = {}) => {
      const { json, token: tokenOverride, headers, ...rest } = init;
      return fetch(`${baseUrl}${pathAndQuery}`, {
        ...rest,
        headers: {
          ...(tokenOverride === null ? {} : { authorization: `Bearer ${tokenOverride ?? token}` }),
          ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(headers as Record<string, string> | undefined),
        },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
  };
}
