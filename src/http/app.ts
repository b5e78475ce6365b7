import { randomUUID } from 'node:crypto';
import cookieParser from 'cookie-parser';
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { AppContext } from '../app-context.js';
import { ApiError } from './api-error.js';
import { routes } from './routes.js';
import { webRouter } from './web.js';

/** The raw request bytes, kept for signature checks over exactly what was received. */
export interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

const JSON_LIMIT = '1mb';

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  const requestId: RequestHandler = (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    (req as Request & { id: string }).id = id;
    next();
  };
  app.use(requestId);
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req) => (req as unknown as { id: string }).id,
      // Query strings may carry codes and signatures (SSO entry): log the path only.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use((req, res, next) => {
    const end = ctx.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ route });
      ctx.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });
  app.use(
    express.json({
      limit: JSON_LIMIT,
      verify: (req, _res, buf) => {
        (req as RawBodyRequest).rawBody = buf;
      },
    }),
  );

  // Session cookies only; no signed cookies (the session id is random and checked server-side).
  app.use(cookieParser());

  // The plugin pages (static, src/web/) at /app/; /app/entry and other non-files fall through.
  app.use('/app', webRouter({ frameAnyOrigin: ctx.config.nodeEnv !== 'production' }));
  app.use(routes(ctx));

  app.use((_req, _res, next) => next(new ApiError(404, 'not_found', '请求的地址不存在')));
  app.use(errorHandler(ctx));
  return app;
}

function errorHandler(ctx: AppContext): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const body = (status: number, code: string, message: string, details: unknown[] = []) =>
      res.status(status).json({ error: { code, message, details } });
    if (error instanceof ApiError) return body(error.status, error.code, error.message, error.details);
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large')
      return body(413, 'payload_too_large', `请求内容过大（最大 ${JSON_LIMIT}）`);
    if (type === 'entity.parse.failed') return body(400, 'invalid_json', '请求内容不是合法的 JSON');
    if (type === 'encoding.unsupported' || type === 'charset.unsupported')
      return body(415, 'unsupported_encoding', '不支持的请求编码');
    // Other refusals of the HTTP layer (a path that is not valid percent-encoding, a body that
    // does not inflate as its content-encoding says): the client's fault, not a crash.
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return body(status, 'bad_request', '请求格式不正确（地址或内容编码有误）');
    ctx.logger.error({ err: error, reqId: (req as Request & { id?: string }).id }, 'unhandled error');
    return body(500, 'internal_error', '服务器内部错误，请稍后重试');
  };
}
