import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** dues routes (being written). */
export function duesRoutes(app: FastifyInstance, ctx: AppContext) {
  void app;
  void ctx;
}
