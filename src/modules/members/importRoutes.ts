import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Member import/export routes (being written). */
export function memberImportRoutes(app: FastifyInstance, ctx: AppContext) {
  void app;
  void ctx;
}
