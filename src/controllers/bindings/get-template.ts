import type { RequestHandler } from 'express';
import { buildBindingTemplate } from '../../bindings/sheet/template.js';
import { sendXlsx } from './send-xlsx.js';

/** GET /api/bindings/template — the empty binding sheet (the same as templates/员工绑定模板.xlsx). */
export const getBindingTemplate = (): RequestHandler => async (_req, res) => {
  sendXlsx(res, '员工绑定模板.xlsx', await buildBindingTemplate());
};
