// Source of a small program written against the client generated from the served document (openapi-typescript
// types + openapi-fetch). It is type-checked strictly, so the calls and the fields it reads must exist in the
// generated types, then run against a live server. Kept as text: its `./schema.js` only exists once generated.

export const WEBHOOK_METADATA_ID = '614a3c7d791c91c41bae7599';

export const CLIENT_PROGRAM = `
import createClient from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

type Source = components['schemas']['SourceV1'];
type Workspace = operations['getWorkspace']['responses'][200]['content']['application/json']['data']['workspace'];
type CreatedSource = operations['createSource']['responses'][201]['content']['application/json'];
type RequestError = components['schemas']['RequestError'];

export interface Call {
  operationId: keyof operations;
  path: keyof paths;
  method: 'get' | 'post';
  status: number;
  body: unknown;
}

export async function runCalls(baseUrl: string, token: string, slug: string): Promise<Call[]> {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: 'Bearer ' + token } });
  const calls: Call[] = [];
  const record = (operationId: keyof operations, path: keyof paths, method: 'get' | 'post', result: { response: Response; data?: unknown; error?: unknown }) => {
    calls.push({ operationId, path, method, status: result.response.status, body: result.data ?? result.error });
  };

  const workspace = await client.GET('/');
  record('getWorkspace', '/', 'get', workspace);
  const workspaceData: Workspace | undefined = workspace.data?.data.workspace;
  if (!workspaceData?.id) throw new Error('getWorkspace returned no workspace');

  const created = await client.POST('/sources', { body: { slug, enabled: true, metadataId: 'IqDTy1TpoU' } });
  record('createSource', '/sources', 'post', created);
  const createdBody: CreatedSource | undefined = created.data;
  const source: Source | undefined = createdBody?.data.source;
  if (!source) throw new Error('createSource returned no source');

  for (const name of ['first', 'second']) {
    const destination = await client.POST('/destinations', {
      body: { sourceId: source.id, metadataId: '${WEBHOOK_METADATA_ID}', settings: {}, enabled: false, name },
    });
    record('createDestination', '/destinations', 'post', destination);
  }

  // Walks the whole list one item per page, with the deepObject pagination parameter.
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.GET('/destinations', { params: { query: { pagination: cursor ? { count: 1, cursor } : { count: 1 } } } });
    record('listDestinations', '/destinations', 'get', page);
    cursor = page.data?.data.pagination.next;
    pages += 1;
  } while (cursor && pages < 10);

  const missing = await client.GET('/destinations/{destinationId}', { params: { path: { destinationId: 'no-such-destination' } } });
  record('getDestination', '/destinations/{destinationId}', 'get', missing);
  const notFound: RequestError | undefined = missing.error?.errors[0];
  if (notFound?.type !== 'not-found') throw new Error('getDestination of an unknown id did not answer not-found');

  return calls;
}
`;

/** Runs the compiled program in a plain Node process and prints its calls as JSON. */
export const RUNNER = `
import { runCalls } from './client-calls.js';
const [baseUrl, token, slug] = process.argv.slice(2);
process.stdout.write(JSON.stringify(await runCalls(baseUrl, token, slug)));
`;
