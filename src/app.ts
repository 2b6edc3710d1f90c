import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from './platform/context.js';
import { installAuth, installErrorHandler, installRouteGuard, type DeclaredRoute } from './platform/http.js';
import { installHttpSecurity, securityFromEnv, type HttpSecurityOptions } from './platform/httpSecurity.js';
import { authRoutes } from './platform/routes/auth.js';
import { figureRoutes } from './platform/routes/figures.js';
import { findingRoutes } from './platform/routes/findings.js';
import { auditRoutes } from './platform/routes/audit.js';
import { settingRoutes } from './platform/routes/settings.js';
import { userRoutes } from './platform/routes/users.js';
import { calendarRoutes } from './platform/routes/calendar.js';
import { attachmentRoutes } from './platform/routes/attachments.js';
import { orgRoutes } from './modules/orgs/routes.js';
import { memberRoutes } from './modules/members/routes.js';
import { memberImportRoutes } from './modules/members/importRoutes.js';
import { orgLifeRoutes } from './modules/orgLife/routes.js';
import { duesRoutes } from './modules/dues/routes.js';
import { reportRoutes } from './modules/reports/routes.js';
import { assessmentRoutes } from './modules/assessment/routes.js';
import { developmentRoutes } from './modules/development/routes.js';
import { gridRoutes } from './modules/grid/routes.js';
import { requestRoutes } from './modules/requests/routes.js';
import { serviceRoutes } from './modules/service/routes.js';
import './modules/registry.js';

z.config(z.locales.zhCN());

export interface BuiltApp {
  app: FastifyInstance;
  routes: DeclaredRoute[];
}

export interface AppOptions {
  logger?: boolean;
  /** Built web app to serve (dist/web); omitted in API-only tests. */
  webDir?: string;
  /** Proxy trust and public origin; default from ZHIBU_TRUST_PROXY / ZHIBU_PUBLIC_ORIGIN (httpSecurity.ts). */
  security?: HttpSecurityOptions;
}

/** Assemble the HTTP server from the platform and the modules' routes. */
export async function buildApp(ctx: AppContext, opts: AppOptions = {}): Promise<BuiltApp> {
  const security = opts.security ?? securityFromEnv();
  const app = Fastify({
    logger: opts.logger
      ? {
          level: 'info',
          // URLs may carry a mobile or an ID number in ?q=: never log query strings.
          serializers: { req: (req) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }) },
        }
      : false,
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: security.trustProxy ?? false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const routes: DeclaredRoute[] = [];
  installRouteGuard(app, routes);
  await installHttpSecurity(app, security);
  await app.register(cookie);
  // @fastify/busboy reads filenames as latin1; attachments.repairFilename() restores UTF-8 names.
  await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1 } });
  await app.register(swagger, {
    openapi: { info: { title: 'zhibu 支部 API', version: '0.1.0', description: '基层党建工作平台接口' } },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  installAuth(app, ctx);
  installErrorHandler(app);

  authRoutes(app, ctx);
  orgRoutes(app, ctx);
  memberRoutes(app, ctx);
  memberImportRoutes(app, ctx);
  orgLifeRoutes(app, ctx);
  duesRoutes(app, ctx);
  reportRoutes(app, ctx);
  assessmentRoutes(app, ctx);
  developmentRoutes(app, ctx);
  gridRoutes(app, ctx);
  requestRoutes(app, ctx);
  serviceRoutes(app, ctx);
  figureRoutes(app, ctx);
  findingRoutes(app, ctx);
  auditRoutes(app, ctx);
  settingRoutes(app, ctx);
  userRoutes(app, ctx);
  calendarRoutes(app, ctx);
  attachmentRoutes(app, ctx);

  if (opts.webDir && existsSync(join(opts.webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: opts.webDir, wildcard: false });
    app.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/')) return reply.status(404).send({ error: 'notFound', message: '接口不存在' });
      return reply.sendFile('index.html');
    });
  } else {
    app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: 'notFound', message: '接口不存在' }));
  }
  await app.ready();
  return { app, routes };
}
