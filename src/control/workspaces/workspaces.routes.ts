import type { FastifyInstance } from 'fastify';
import { toWorkspace, type WorkspaceService } from './workspaces.service.js';
import { getWorkspaceDoc } from './workspaces.docs.js';

export function workspaceRoutes(app: FastifyInstance, workspaces: WorkspaceService): void {
  app.get('/', { config: { openapi: getWorkspaceDoc } }, async (request) => {
    const row = await workspaces.get(request.auth!.workspaceId);
    return { data: { workspace: toWorkspace(row) } };
  });
}
