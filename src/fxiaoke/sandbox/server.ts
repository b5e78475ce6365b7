/** Routing and the §3.3 processing order of the API paths. */
import type { Request, Response } from 'express';
import multer from 'multer';
import { appAccessToken, corpAccessToken, openUserId } from './auth.js';
import {
  createRecord,
  deleteRecords,
  detailsOf,
  getRecord,
  invalidRecord,
  recoverRecords,
  resolveObject,
  updateRecord,
  writeCtx,
  type Family,
  type PendingEvent,
} from './data-api.js';
import { getByMobile, getUser, listDepartments, listUsers } from './directory.js';
import type { EventBus } from './events.js';
import { FxError, MSG, fail, isObject, type Json } from './errors.js';
import { download, upload, type UploadInput } from './files.js';
import { sendMessage } from './messages.js';
import { createField, createObject, describeJson, fieldDescribe } from './metadata.js';
import { editCategory, listCategories } from './product-categories.js';
import { queryRecords } from './query.js';
import type { CallEntry, FileRec, SandboxState, Tenant } from './state.js';

const MAX_JSON = 2 * 1024 * 1024;

export interface CallCtx {
  st: SandboxState;
  tenant: Tenant;
  body: Json;
  user: string;
  events: PendingEvent[];
  upload?: UploadInput;
}

type Result = Json | { file: FileRec } | undefined;
type Kind = 'corpToken' | 'appToken' | 'openUserId' | 'upload' | 'standard';
interface Route {
  kind: Kind;
  run?: (c: CallCtx) => Result;
}

/** A flag of §5.2: absent gives the default, a non-boolean gives 10006. */
function flag(body: Json, name: string, dflt: boolean): boolean {
  const v = body[name];
  if (v === undefined) return dflt;
  return typeof v === 'boolean' ? v : fail(10006, MSG.param(name));
}

const dataOf = (body: Json): Json => (isObject(body.data) ? body.data : {});

function dataRoutes(family: Family): Record<string, Route['run']> {
  const write = (c: CallCtx, send: boolean) => {
    const ctx = writeCtx(c.st, c.tenant, c.user, send);
    return { ctx, done: () => c.events.push(...ctx.events) };
  };
  return {
    create: (c) => {
      const send = flag(c.body, 'triggerWorkFlow', true);
      const approval = flag(c.body, 'triggerApprovalFlow', true);
      const withIds = flag(c.body, 'includeDetailIds', false);
      const { ctx, done } = write(c, send);
      const r = createRecord(ctx, family, dataOf(c.body), approval);
      done();
      return withIds ? { dataId: r.dataId, detailIds: r.detailIds } : { dataId: r.dataId };
    },
    update: (c) => {
      const { ctx, done } = write(c, flag(c.body, 'triggerWorkFlow', true));
      const r = updateRecord(ctx, family, dataOf(c.body));
      done();
      return r;
    },
    get: (c) => ({ data: getRecord(c.tenant, family, dataOf(c.body), flag(c.body, 'includeNull', false)) }),
    query: (c) => ({
      data: queryRecords(c.tenant, family, dataOf(c.body), flag(c.body, 'includeNull', false)),
    }),
    invalid: (c) => {
      const { ctx, done } = write(c, flag(c.body, 'triggerWorkFlow', true));
      invalidRecord(ctx, family, dataOf(c.body));
      done();
      return undefined;
    },
    delete: (c) => {
      const { ctx, done } = write(c, flag(c.body, 'triggerWorkFlow', true));
      deleteRecords(ctx, family, dataOf(c.body));
      done();
      return undefined;
    },
    recover: (c) => {
      const { ctx, done } = write(c, flag(c.body, 'triggerWorkFlow', true));
      recoverRecords(ctx, family, dataOf(c.body));
      done();
      return undefined;
    },
  };
}

/** Checks 1–2 of §8, shared by both metadata writes. */
function metadataAllowed(c: CallCtx): void {
  if (!c.tenant.metadataWritePermission) {
    fail(20014, 'ISV元数据权限未开通: this app may not change object definitions in this tenant');
  }
  if (!c.tenant.users.get(c.user)?.isCrmAdmin) fail(20014, '当前用户不是CRM管理员');
}

function buildRoutes(): Map<string, Route> {
  const routes = new Map<string, Route>([
    ['/cgi/corpAccessToken/get/V2', { kind: 'corpToken' }],
    ['/cgi/appAccessToken/get', { kind: 'appToken' }],
    ['/oauth2/openUserId/get', { kind: 'openUserId' }],
    ['/media/upload', { kind: 'upload', run: (c) => upload(c.st, c.tenant, c.upload as UploadInput) }],
    ['/media/download', { kind: 'standard', run: (c) => ({ file: download(c.tenant, c.body) }) }],
    ['/cgi/user/getByMobile', { kind: 'standard', run: (c) => getByMobile(c.tenant, c.body) }],
    ['/cgi/user/get', { kind: 'standard', run: (c) => getUser(c.tenant, c.body) }],
    ['/cgi/user/list', { kind: 'standard', run: (c) => listUsers(c.tenant, c.body) }],
    ['/cgi/department/list', { kind: 'standard', run: (c) => listDepartments(c.tenant) }],
    ['/cgi/message/send', { kind: 'standard', run: (c) => sendMessage(c.st, c.tenant, c.body) }],
  ]);
  const std = (path: string, run: Route['run']) => routes.set(path, { kind: 'standard', run });
  for (const [prefix, family] of [
    ['/cgi/crm/v2/data/', 'preset'],
    ['/cgi/crm/custom/v2/data/', 'custom'],
  ] as const) {
    for (const [action, run] of Object.entries(dataRoutes(family))) std(prefix + action, run);
  }
  std('/cgi/crm/v2/object/describe', (c) => {
    const d = dataOf(c.body);
    if (typeof d.apiName !== 'string' || d.apiName === '') fail(10006, MSG.param('apiName'));
    const obj = resolveObject(c.tenant, d.apiName as string, 'any', false);
    const data: Json = { describe: describeJson(c.tenant, obj) };
    if (d.includeDetail === true)
      data.detailObjectList = detailsOf(c.tenant, obj).map((o) => describeJson(c.tenant, o));
    return { data };
  });
  std('/cgi/crm/v2/object/list', (c) => ({
    data: {
      objects: [...c.tenant.objects.values()].map((o) => ({
        describeApiName: o.api_name,
        describeDisplayName: o.display_name,
        defineType: o.define_type,
        isActive: true,
      })),
    },
  }));
  std('/cgi/crm/data/queryProductCategory', (c) => ({ data: { categories: listCategories(c.tenant) } }));
  std('/cgi/crm/data/editProductCategory', (c) => {
    const r = editCategory(c.st, c.tenant, c.user, dataOf(c.body));
    return r ? { data: r } : undefined;
  });
  std('/cgi/crm/v2/object/field/create', (c) => {
    metadataAllowed(c);
    const d = dataOf(c.body);
    if (typeof d.apiName !== 'string' || d.field === undefined) fail(10006, MSG.param('apiName or field'));
    const obj = c.tenant.objects.get(d.apiName as string) ?? fail(32001, `对象[${String(d.apiName)}]不存在`);
    const f = createField(c.tenant, obj, d.field);
    return { data: { field: fieldDescribe(c.tenant, obj, f) } };
  });
  std('/cgi/crm/v2/object/create', (c) => {
    metadataAllowed(c);
    const obj = createObject(c.tenant, dataOf(c.body));
    return { data: { describe: describeJson(c.tenant, obj) } };
  });
  return routes;
}

function readRaw(req: Request): Promise<{ buf: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_JSON) chunks.push(c);
    });
    req.on('end', () => resolve({ buf: Buffer.concat(chunks), tooLarge: size > MAX_JSON }));
    req.on('error', reject);
  });
}

const uploader = multer({ storage: multer.memoryStorage(), limits: { fileSize: 25 * 1024 * 1024 } }).any();

function parseMultipart(req: Request, res: Response): Promise<{ ok: boolean; tooLarge: boolean }> {
  return new Promise((resolve) => {
    uploader(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE')
        resolve({ ok: true, tooLarge: true });
      else resolve({ ok: !err, tooLarge: false });
    });
  });
}

const contentType = (req: Request): string =>
  (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function apiHandler(st: SandboxState, bus: EventBus) {
  const routes = buildRoutes();
  return async (req: Request, res: Response): Promise<void> => {
    const path = req.path;
    const route = routes.get(path);
    if (!route) {
      res.status(404).type('text/plain').send('Not Found');
      return;
    }
    if (req.method !== 'POST') {
      res.status(405).type('text/plain').send('Method Not Allowed');
      return;
    }
    st.callSeq += 1;
    const entry: CallEntry = {
      seq: st.callSeq,
      at: st.now(),
      path,
      corpId: null,
      currentOpenUserId: null,
      dataObjectApiName: null,
      httpStatus: null,
      errorCode: null,
      fault: null,
      durationMs: 0,
      traceId: `E-O.sandbox.${st.callSeq}`,
    };
    const started = Date.now();
    let lose = false;
    const log = () => {
      entry.durationMs = Date.now() - started;
      st.calls.push(entry);
    };
    const sendJson = (status: number, json: Json) => {
      entry.httpStatus = status;
      entry.errorCode = typeof json.errorCode === 'number' ? json.errorCode : null;
      log();
      if (lose) req.socket.destroy();
      else res.status(status).json(json);
    };
    const failure = (status: number, code: number, message: string, extra?: Json) =>
      sendJson(status, {
        errorCode: code,
        errorMessage: message,
        errorDescription: message,
        traceId: entry.traceId,
        ...extra,
      });

    // Step 2: the body.
    let body: Json = {};
    let uploadInput: UploadInput | undefined;
    if (route.kind === 'upload') {
      if (contentType(req) !== 'multipart/form-data') return failure(400, 10006, 'bad multipart body');
      const parsed = await parseMultipart(req, res);
      if (!parsed.ok) return failure(400, 10006, 'bad multipart body');
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      const media = files.find((f) => f.fieldname === 'media');
      uploadInput = {
        type: req.query.type,
        file: media ? { filename: media.originalname ?? '', bytes: media.buffer } : null,
        tooLarge: parsed.tooLarge,
      };
      body = { corpAccessToken: req.query.corpAccessToken, corpId: req.query.corpId };
    } else {
      const ct = contentType(req);
      const raw = await readRaw(req);
      if (ct !== 'application/json') return failure(400, 10006, 'Content-Type must be application/json');
      if (raw.tooLarge) return failure(413, 10006, 'body over 2 MiB');
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.buf.toString('utf8'));
      } catch {
        return failure(400, 10006, 'body is not JSON');
      }
      if (!isObject(parsed)) return failure(400, 10006, 'body is not a JSON object');
      body = parsed;
    }
    const data = dataOf(body);
    const od = isObject(data.object_data) ? data.object_data : {};
    entry.dataObjectApiName = str(od.dataObjectApiName) ?? str(data.dataObjectApiName);
    entry.currentOpenUserId = str(body.currentOpenUserId);
    const tokenTenant =
      route.kind === 'corpToken' ? st.tenantByCode(body.appId, body.permanentCode) : undefined;
    entry.corpId = route.kind === 'corpToken' ? (tokenTenant?.corpId ?? null) : str(body.corpId);
    const issuer =
      route.kind === 'corpToken'
        ? tokenTenant?.tokens
        : route.kind === 'appToken'
          ? st.apps.get(String(body.appId))?.tokens
          : undefined;
    if (issuer) issuer.inFlight += 1;
    try {
      // Step 3: injected faults.
      const fault = st.faults.find(
        (f) => f.path === path && (f.corpId === null || f.corpId === entry.corpId),
      );
      if (fault) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) st.faults.splice(st.faults.indexOf(fault), 1);
        entry.fault = fault.action;
        if (fault.action === 'error') {
          return sendJson(200, {
            errorCode: fault.errorCode,
            errorMessage: fault.errorMessage ?? 'injected fault',
            errorDescription: '',
            traceId: entry.traceId,
          });
        }
        if (fault.action === 'http_status') {
          entry.httpStatus = fault.httpStatus ?? 500;
          log();
          res.status(entry.httpStatus).type('text/plain').send('injected');
          return;
        }
        if (fault.action === 'delay') await new Promise((r) => setTimeout(r, fault.delayMs ?? 0));
        if (fault.action === 'lose_response') lose = true;
      }
      const ok = (json: Json, message = 'OK') =>
        sendJson(200, {
          errorCode: 0,
          errorMessage: message,
          errorDescription: 'success',
          traceId: entry.traceId,
          ...json,
        });
      // Step 4: token and code endpoints.
      if (route.kind === 'corpToken') return ok(corpAccessToken(st, body), 'success');
      if (route.kind === 'appToken') return ok(appAccessToken(st, body), 'success');
      if (route.kind === 'openUserId') {
        const r = openUserId(st, body, path);
        entry.corpId = str(r.corpId);
        return ok(r, 'success');
      }
      // Steps 5–9.
      const cat = body.corpAccessToken;
      const corpId = body.corpId;
      if (typeof cat !== 'string' || cat === '' || typeof corpId !== 'string' || corpId === '')
        fail(20017, MSG.creds);
      const token = st.tokens.get(cat as string);
      const tenant = st.tenants.get(corpId as string);
      if (!token || token.kind !== 'corp' || token.corpId !== corpId || !st.tokenValid(token) || !tenant) {
        return fail(20016, MSG.token);
      }
      let user = '';
      if (path.startsWith('/cgi/crm/')) {
        user = str(body.currentOpenUserId) ?? fail(10010, MSG.noUser);
        const u = tenant.users.get(user);
        if (!u || u.isStop) fail(20012, MSG.userNotFound);
      }
      if (!st.takeWindow(`${tenant.corpId}|${path}`)) fail(30004, MSG.freq);
      if (!st.takeQuota(tenant)) fail(30002, MSG.quota);
      // Step 10.
      const c: CallCtx = {
        st,
        tenant,
        body,
        user,
        events: [],
        ...(uploadInput ? { upload: uploadInput } : {}),
      };
      const result = route.run?.(c);
      if (result && 'file' in result && isFile(result.file)) {
        const f = result.file;
        entry.httpStatus = 200;
        log();
        if (lose) req.socket.destroy();
        else {
          res
            .status(200)
            .set('Content-Type', 'application/octet-stream')
            .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
            .send(f.bytes);
        }
      } else ok((result as Json | undefined) ?? {});
      bus.enqueue(tenant, c.events);
    } catch (err) {
      if (err instanceof FxError) return failure(200, err.code, err.message, err.extra);
      const msg = err instanceof Error ? err.message : String(err);
      return failure(200, -2, `java.lang.NullPointerException: ${msg}`);
    } finally {
      if (issuer) issuer.inFlight -= 1;
    }
  };
}

const isFile = (v: unknown): v is FileRec => isObject(v) && Buffer.isBuffer(v.bytes);
