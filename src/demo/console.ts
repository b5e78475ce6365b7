/**
 * The demo console: a small page, served by the demo process on its own port (not by the plugin),
 * with buttons that make changes "in the CRM" and "in Jingdouyun" through the sandboxes, so a
 * newcomer can watch them flow through the plugin. Loopback only, like the sandboxes.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import Joi from 'joi';
import { ApiError } from '../http/api-error.js';
import { validate } from '../http/validate.js';
import { isIntegrationError } from '../lib/errors.js';
import { ActionError, DemoActions, type ActionResult } from './console-actions.js';
import { consolePage } from './console-page.js';

export interface RunningDemoConsole {
  url: string;
  close(): Promise<void>;
}

const id = Joi.string().trim().max(64);
/** A positive amount with at most two decimals. */
const money = Joi.string()
  .trim()
  .pattern(/^\d{1,10}(\.\d{1,2})?$/);

const SCHEMAS = {
  crmCustomer: Joi.object({
    name: Joi.string().trim().min(1).max(80).required().label('客户名称'),
    tel: Joi.string().trim().max(30).allow('').label('电话'),
    ownerId: id.allow('').label('负责人'),
    deal: Joi.boolean().default(false),
    productId: id.allow('').label('产品'),
  }),
  crmOrder: Joi.object({
    customerId: id.required().label('客户'),
    productId: id.required().label('产品'),
    quantity: Joi.number().integer().min(1).max(100_000).required().label('数量'),
    price: money.required().label('单价'),
  }),
  jdyProduct: Joi.object({
    materialId: id.required().label('商品'),
    retailPrice: money.allow('').label('零售价'),
    categoryId: id.allow('').label('商品类别'),
  }),
  jdyOutbound: Joi.object({ orderId: id.required().label('销售订单') }),
  jdyReceipt: Joi.object({
    orderId: id.required().label('销售订单'),
    amount: money.required().label('收款金额'),
  }),
  jdyStock: Joi.object({
    materialNumber: Joi.string().trim().max(40).required().label('商品'),
    stockNumber: Joi.string().trim().max(40).required().label('仓库'),
    qty: Joi.string()
      .trim()
      .pattern(/^\d{1,9}$/)
      .required()
      .label('库存数量'),
  }),
} as const;

type ActionName = keyof typeof SCHEMAS;

/** Empty optional fields of a form mean "not given". */
function withoutBlanks<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== '')) as T;
}

export async function startDemoConsole(options: {
  port: number;
  jdyUrl: string;
  fxUrl: string;
  /** Links on the page: the plugin signed in as the administrator. */
  adminLink: string;
}): Promise<RunningDemoConsole> {
  const actions = new DemoActions({ jdy: options.jdyUrl, fx: options.fxUrl });
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));
  const page = consolePage({ adminLink: options.adminLink });
  app.get('/', (_req, res) => {
    res.type('html').setHeader('Cache-Control', 'no-cache').send(page);
  });
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.get('/api/options', (async (_req, res) => {
    res.json(await actions.options());
  }) satisfies RequestHandler);

  const run: { [K in ActionName]: (input: never) => Promise<ActionResult> } = {
    crmCustomer: (input) => actions.crmCustomer(input),
    crmOrder: (input) => actions.crmOrder(input),
    jdyProduct: (input) => actions.jdyProduct(input),
    jdyOutbound: (input) => actions.jdyOutbound(input),
    jdyReceipt: (input) => actions.jdyReceipt(input),
    jdyStock: (input) => actions.jdyStock(input),
  };
  for (const name of Object.keys(SCHEMAS) as ActionName[]) {
    app.post(`/api/${name}`, (async (req, res) => {
      const input: object = validate(SCHEMAS[name], req.body);
      res.json(await run[name](withoutBlanks(input) as never));
    }) satisfies RequestHandler);
  }
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // Refusals of either system are part of the demo: say them as they came.
    if (error instanceof ApiError) res.status(error.status).json({ error: error.message });
    else if (error instanceof ActionError) res.status(422).json({ error: error.message });
    else if (isIntegrationError(error))
      res.status(422).json({ error: `精斗云拒绝了这次修改：${error.message}` });
    else res.status(500).json({ error: error instanceof Error ? error.message : String(error) });
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
