// API reference entry of the workspace route (see src/http/openapi/operation-doc.ts).
import { controlOperation, dataResponse } from '../../http/openapi/operation-doc.js';
import { workspaceExample } from '../../http/openapi/examples.js';
import { WorkspaceV1 } from '../../http/openapi/models.js';

export const getWorkspaceDoc = controlOperation({
  operationId: 'getWorkspace',
  summary: 'Get Workspace',
  description: 'Returns the workspace the API token belongs to; a cheap way to check a token.',
  tags: ['Workspaces'],
  responses: { 200: dataResponse('The workspace', { workspace: WorkspaceV1 }, { workspace: workspaceExample }) },
});
