// A client generated from the served document (openapi-typescript types, openapi-fetch runtime) type-checks
// against a program that uses it, and that program's calls succeed against a live server on both backends. Every
// body it receives must also match the response schema the document gives for that status.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { documentSchemaValidator, responseSchema, type OpenApiDocument } from '../support/openapi.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { CLIENT_PROGRAM, RUNNER } from './generated-client-program.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Call {
  operationId: string;
  path: string;
  method: string;
  status: number;
  body: unknown;
}

/** Generates the client types from the served document into a fresh directory beside the calling program. */
async function generateClient(documentUrl: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-generated-client-'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(path.join(dir, 'schema.d.ts'), astToString(await openapiTS(new URL(documentUrl))));
  writeFileSync(path.join(dir, 'client-calls.ts'), CLIENT_PROGRAM);
  writeFileSync(path.join(dir, 'run.js'), RUNNER);
  return dir;
}

function typeErrors(dir: string): string[] {
  const program = ts.createProgram([path.join(dir, 'client-calls.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
    skipLibCheck: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

async function runGeneratedClient(dir: string, server: TestServer, slug: string): Promise<Call[]> {
  const { outputText } = ts.transpileModule(CLIENT_PROGRAM, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
  writeFileSync(path.join(dir, 'client-calls.js'), outputText);
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, 'run.js'), server.url, server.token, slug], {
    timeout: 30_000,
  });
  return JSON.parse(stdout) as Call[];
}

describe.each(BACKENDS)('generated OpenAPI client (%s)', (backend) => {
  let server: TestServer;
  let dir: string;
  let document: OpenApiDocument;

  beforeAll(async () => {
    server = await startTestServer(backend);
    document = (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenApiDocument;
    dir = await generateClient(`${server.url}/openapi.json`);
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await server?.destroy();
  });

  it('type-checks a program written against the generated client', () => {
    expect(typeErrors(dir)).toEqual([]);
  });

  it('makes real calls that succeed and answer as documented', async () => {
    const calls = await runGeneratedClient(dir, server, `generated-${backend}`);
    expect(calls.map((c) => `${c.operationId} ${c.status}`)).toEqual([
      'getWorkspace 200',
      'createSource 201',
      'createDestination 200',
      'createDestination 200',
      'listDestinations 200',
      'listDestinations 200',
      'getDestination 404',
    ]);
    const pages = calls.filter((c) => c.operationId === 'listDestinations').map((c) => c.body as { data: { destinations: { name: string }[] } });
    expect(pages.flatMap((p) => p.data.destinations.map((d) => d.name))).toEqual(['first', 'second']);

    const validate = documentSchemaValidator(document);
    for (const call of calls) {
      const problems = validate(responseSchema(document, call.path, call.method, call.status), call.body);
      expect(problems, `${call.operationId} ${call.status}`).toEqual([]);
    }
  });
});
