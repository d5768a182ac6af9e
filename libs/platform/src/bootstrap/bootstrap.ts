import { INestApplication, Logger as NestLogger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import { Logger, PinoLogger } from 'nestjs-pino';
import { SERVICES, ServiceName } from '@ish/contracts';
import { ConfigError, ConfigParts, isConfigPart, LoadedConfig, loadConfigParts } from '../config/config';
import { ConfigModule } from '../config/config.module';
import { PlatformConfig } from '../config/platform.config';
import { ApiExceptionFilter, writeError } from '../errors/exception.filter';
import { createValidationPipe } from '../errors/validation';
import { APP_VERSION, OpenApiRegistry } from '../gateway/gateway.controller';
import { OpenApiDocument } from '../gateway/health-targets';
import { describeValidatedModels } from '../gateway/openapi-models';
import { accessLogMiddleware } from '../logging/logging';
import { httpMetricsMiddleware, setDefaultMetricLabels } from '../metrics/metrics';
import { AmqpServer } from '../rabbitmq/amqp-server';
import { corsOptions, parseCorsOrigins } from './cors';
import { guardRequestInput } from './request-guards';
import { listenOnFreePort } from './listen';
import { keepRawBody } from './raw-body';
import { requestContextMiddleware } from './request-context.middleware';

export interface BootstrapOptions {
  service: ServiceName;
  /** the config parts the app reads (PlatformConfig first), validated together before the app is built */
  config: ConfigParts;
  /** describes the service's part of the OpenAPI document */
  openApiTag?: string;
  /** routes (exact paths) whose JSON bodies may be larger than HTTP_BODY_LIMIT, and their limit in bytes */
  largeBodies?: { paths: string[]; limit: (config: LoadedConfig) => number; rawBodies?: string[] };
}

export interface RunningService {
  app: INestApplication;
  port: number;
}

/**
 * Starts a service the one way every app starts: its config parts checked first (exit 1 naming every bad
 * variable) and then injectable by their classes,
 * request ids, metrics, body limits, the API.md error shape for everything, RabbitMQ handlers,
 * OpenAPI, graceful shutdown on SIGTERM/SIGINT.
 */
export async function bootstrapService(module: Type<unknown>, options: BootstrapOptions): Promise<RunningService> {
  const loaded = exitOnConfigError(options.service, () => loadConfigParts(options.config));
  const config = loaded.get(PlatformConfig);

  setDefaultMetricLabels({ service: options.service });
  const app = await NestFactory.create({ module, imports: [ConfigModule.forLoaded(loaded)] }, { bufferLogs: true, bodyParser: false, abortOnError: false });
  app.useLogger(app.get(Logger));
  configureHttp(app, config, options.largeBodies && { ...options.largeBodies, limit: options.largeBodies.limit(loaded) });

  app.connectMicroservice({ strategy: app.get(AmqpServer) }, { inheritAppConfig: true });
  await app.startAllMicroservices();

  const document = buildOpenApi(app, options);
  app.get(OpenApiRegistry).document = document;
  app.getHttpAdapter().get('/openapi.json', (_req: Request, res: Response) => res.json(document));
  SwaggerModule.setup('api/v1/docs', app, document as never, {
    swaggerOptions: { url: '/api/v1/openapi.json' },
    jsonDocumentUrl: 'api/v1/docs/openapi.json',
    customSiteTitle: 'ISH Chat API',
  });

  installShutdown(app, config);
  const isWorker = options.service === 'worker';
  const port = await listenOnFreePort(app, config.PORT ?? SERVICES[options.service].port, config.HOST, isWorker && config.PORT === undefined);
  new NestLogger('Bootstrap').log(`${options.service} ${APP_VERSION} listening on ${config.HOST}:${port}`);
  return { app, port };
}

/** Runs `step`; a ConfigError ends the process with exit 1 and the bad variables named on stderr. */
function exitOnConfigError<T>(service: ServiceName, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(1);
  }
}

function configureHttp(app: INestApplication, config: PlatformConfig, largeBodies?: { paths: string[]; limit: number; rawBodies?: string[] }): void {
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.disable('x-powered-by');
  // no API client sends If-None-Match; hashing every response body for an ETag cost CPU on each answer
  server.set('etag', false);
  // X-Forwarded-For only from the gateway: anyone else could pick the address they are counted under
  server.set('trust proxy', config.TRUSTED_PROXIES);
  app.use(requestContextMiddleware);
  app.use(accessLogMiddleware(() => PinoLogger.root));
  app.use(httpMetricsMiddleware);
  // here, in every service, rather than in nginx: CORS_ORIGINS is validated at start like any variable, and
  // the answer is the same behind the compose gateway, a Kubernetes Ingress or none
  const cors = corsOptions(parseCorsOrigins(config.CORS_ORIGINS));
  if (cors) app.enableCors(cors);
  const json = express.json({ limit: config.HTTP_BODY_LIMIT });
  if (largeBodies) {
    // only the routes that need it parse large bodies: the others validate with the global pipe, which
    // would spend seconds on a 30 MB array
    const large = express.json({ limit: largeBodies.limit });
    const paths = new Set(largeBodies.paths);
    // `rawBodies` (rawBodyOf): routes that forward the client's bytes as they came
    const raw = express.json({ limit: largeBodies.limit, verify: keepRawBody });
    const rawPaths = new Set(largeBodies.rawBodies ?? []);
    app.use((req: Request, res: Response, next: NextFunction) => (rawPaths.has(req.path) ? raw : paths.has(req.path) ? large : json)(req, res, next));
  } else {
    app.use(json);
  }
  // too deep, NUL or unpaired surrogates: a 400 before validators and PostgreSQL see them
  app.use(guardRequestInput());
  // errors raised before a route (broken JSON, oversize body) take the same shape as the rest
  const logger = new NestLogger('Http');
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => writeError(res, error, logger));
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
}

function buildOpenApi(app: INestApplication, options: Pick<BootstrapOptions, 'service' | 'openApiTag'>): OpenApiDocument {
  const builder = new DocumentBuilder()
    .setTitle(`ISH Chat ${options.service}`)
    .setVersion(APP_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'JWT access token or API key (ish_…)' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey');
  // every field of every body and query, from the DTOs' validators (configuration classes are no API)
  describeValidatedModels(isConfigPart);
  return SwaggerModule.createDocument(app, builder.build()) as unknown as OpenApiDocument;
}

/**
 * SIGTERM/SIGINT: stop taking work (consumers cancelled, HTTP server closed to new connections), let
 * in-flight work finish, close connections; force the exit after the grace period.
 */
function installShutdown(app: INestApplication, config: PlatformConfig): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const logger = new NestLogger('Shutdown');
    logger.log(`${signal}: finishing in-flight work`);
    const force = setTimeout(() => {
      logger.warn('grace period over, exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_SECONDS * 1000);
    force.unref();
    // keep-alive connections outlive their last response (KEEP_ALIVE_TIMEOUT_MS): once a request in
    // flight has been answered, its idle connection is closed so the server can finish closing
    const server = app.getHttpServer() as { closeIdleConnections?: () => void };
    const sweep = setInterval(() => server.closeIdleConnections?.(), 200);
    sweep.unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(error);
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
