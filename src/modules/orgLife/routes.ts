import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** orgLife routes (being written). */
export function orgLifeRoutes(app: FastifyInstance, ctx: AppContext) {
  void app;
  void ctx;
}
