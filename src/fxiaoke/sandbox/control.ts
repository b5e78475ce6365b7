/** The sandbox control API of §11 (no auth, loopback only). */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { aesKeyOf, codeSignature } from '../crypto.js';
import { SYSTEM_USER } from './describes.js';
import {
  approveRecord,
  createRecord,
  invalidRecord,
  resolveObject,
  seedRecord,
  updateRecord,
  writeCtx,
} from './data-api.js';
import { userJson } from './directory.js';
import type { EventBus } from './events.js';
import { ControlError, FxError, isObject, type Json } from './errors.js';
import { storeFile } from './files.js';
import { installPush, revokeCorpTokens } from './install.js';
import { createField, createObject, fieldDescribe } from './metadata.js';
import { editCategory } from './product-categories.js';
import {
  alnum,
  hex,
  newTenant,
  storeOf,
  type CallEntry,
  type Fault,
  type SandboxState,
  type Tenant,
  type User,
} from './state.js';
import { present } from './values.js';

const bad = (msg: string): never => {
  throw new ControlError(400, msg);
};
const notFound = (msg: string): never => {
  throw new ControlError(404, msg);
};
const reqStr = (v: unknown, name: string): string =>
  typeof v === 'string' && v !== '' ? v : bad(`${name} required`);
const optBool = (v: unknown, name: string): boolean | undefined =>
  v === undefined ? undefined : typeof v === 'boolean' ? v : bad(`${name} must be a boolean`);

function tenantOf(st: SandboxState, corpId: unknown): Tenant {
  return st.tenant(reqStr(corpId, 'corpId')) ?? notFound(`unknown tenant ${String(corpId)}`);
}

const tenantJson = (st: SandboxState, t: Tenant): Json => ({
  corpId: t.corpId,
  name: t.name,
  appId: t.appId,
  callbackUrl: t.callbackUrl,
  entryUrl: t.entryUrl,
  authorized: t.authorized,
  metadataWritePermission: t.metadataWritePermission,
  approvalObjects: [...t.approvalObjects],
  dailyQuota: t.dailyQuota,
  usedToday: st.usedToday(t),
});

const optUrl = (v: unknown, name: string): string | null | undefined =>
  v === undefined || v === null
    ? (v as null | undefined)
    : typeof v === 'string'
      ? v
      : bad(`${name} must be a string`);

function tenantSettings(raw: Json): Partial<Tenant> {
  const out: Partial<Tenant> = {};
  const a = optBool(raw.authorized, 'authorized');
  if (a !== undefined) out.authorized = a;
  const m = optBool(raw.metadataWritePermission, 'metadataWritePermission');
  if (m !== undefined) out.metadataWritePermission = m;
  if (raw.approvalObjects !== undefined) {
    if (!Array.isArray(raw.approvalObjects) || raw.approvalObjects.some((o) => typeof o !== 'string')) {
      bad('approvalObjects must be an array of strings');
    }
    out.approvalObjects = [...(raw.approvalObjects as string[])];
  }
  if (raw.dailyQuota !== undefined) {
    const q = raw.dailyQuota;
    if (q !== null && !(typeof q === 'number' && Number.isInteger(q) && q >= 0)) bad('dailyQuota');
    out.dailyQuota = q as number | null;
  }
  const cb = optUrl(raw.callbackUrl, 'callbackUrl');
  if (cb !== undefined) out.callbackUrl = cb;
  const en = optUrl(raw.entryUrl, 'entryUrl');
  if (en !== undefined) out.entryUrl = en;
  return out;
}

function newUser(st: SandboxState, t: Tenant, raw: Json): User {
  const name = reqStr(raw.name, 'users.name');
  const mobile = reqStr(raw.mobile, 'users.mobile');
  for (const u of t.users.values())
    if (u.mobile === mobile) bad(`mobile ${mobile} already used in ${t.corpId}`);
  const openUserId =
    raw.openUserId === undefined ? `FSUID_${hex(16, true)}` : reqStr(raw.openUserId, 'openUserId');
  if (t.users.has(openUserId)) bad(`user ${openUserId} exists`);
  const main = raw.mainDepartmentId === undefined ? 999999 : raw.mainDepartmentId;
  const ints = (v: unknown, name: string, d: number[]): number[] =>
    v === undefined
      ? d
      : Array.isArray(v) && v.every((x) => Number.isInteger(x))
        ? (v as number[])
        : bad(name);
  if (!Number.isInteger(main)) bad('mainDepartmentId');
  const s = (v: unknown, name: string): string =>
    v === undefined ? '' : typeof v === 'string' ? v : bad(name);
  const user: User = {
    openUserId,
    name,
    nickName: s(raw.nickName, 'nickName'),
    mobile,
    email: s(raw.email, 'email'),
    isStop: optBool(raw.isStop, 'isStop') ?? false,
    gender: s(raw.gender, 'gender'),
    position: s(raw.position, 'position'),
    employeeNumber: s(raw.employeeNumber, 'employeeNumber'),
    mainDepartmentId: main as number,
    departmentIds: ints(raw.departmentIds, 'departmentIds', [main as number]),
    attachingDepartmentIds: ints(raw.attachingDepartmentIds, 'attachingDepartmentIds', []),
    leaderId: raw.leaderId === undefined || raw.leaderId === null ? null : reqStr(raw.leaderId, 'leaderId'),
    createTime: typeof raw.createTime === 'number' ? raw.createTime : st.now(),
    isCrmAdmin: optBool(raw.isCrmAdmin, 'isCrmAdmin') ?? false,
  };
  for (const d of [user.mainDepartmentId, ...user.departmentIds, ...user.attachingDepartmentIds]) {
    if (!t.departments.has(d)) bad(`unknown department ${d}`);
  }
  return user;
}

const arr = (v: unknown, name: string): unknown[] =>
  v === undefined ? [] : Array.isArray(v) ? v : bad(`${name} must be an array`);
const obj = (v: unknown, name: string): Json => (isObject(v) ? v : bad(`${name} must be an object`));

/** §11.2, additive and all-or-nothing: every addition registers its undo. */
function seed(st: SandboxState, body: Json): Json {
  const undo: (() => void)[] = [];
  const answer = {
    ok: true,
    users: [] as Json[],
    files: [] as Json[],
    productCategories: [] as Json[],
    records: [] as Json[],
  };
  try {
    for (const raw of arr(body.tenants, 'tenants').map((t) => obj(t, 'tenant'))) {
      const corpId = reqStr(raw.corpId, 'corpId');
      if (st.tenants.has(corpId)) bad(`tenant ${corpId} exists`);
      const appId = reqStr(raw.appId, 'appId');
      const app = {
        appId,
        appSecret: reqStr(raw.appSecret, 'appSecret'),
        token: reqStr(raw.token, 'token'),
        encodingAesKey: reqStr(raw.encodingAesKey, 'encodingAesKey'),
      };
      try {
        aesKeyOf(app.encodingAesKey);
      } catch {
        bad('encodingAesKey must be 43 characters decoding to 32 bytes');
      }
      const known = st.apps.get(appId);
      if (known) {
        if (
          known.appSecret !== app.appSecret ||
          known.token !== app.token ||
          known.encodingAesKey !== app.encodingAesKey
        ) {
          bad(`tenants of ${appId} disagree on its secrets`);
        }
      } else {
        st.apps.set(appId, { ...app, tokens: { current: null, calls: [], inFlight: 0 } });
        undo.push(() => st.apps.delete(appId));
      }
      const permanentCode = reqStr(raw.permanentCode, 'permanentCode');
      if (st.tenantByCode(appId, permanentCode)) bad(`permanentCode ${permanentCode} already used`);
      const t = newTenant({
        corpId,
        name: typeof raw.name === 'string' ? raw.name : corpId,
        appId,
        permanentCode,
        callbackUrl: null,
        entryUrl: null,
        authorized: true,
        metadataWritePermission: true,
        approvalObjects: [],
        dailyQuota: null,
      });
      Object.assign(t, tenantSettings(raw));
      st.tenants.set(corpId, t);
      undo.push(() => st.tenants.delete(corpId));
    }
    for (const raw of arr(body.departments, 'departments').map((d) => obj(d, 'department'))) {
      const t = tenantOf(st, raw.corpId);
      const id = raw.id;
      if (typeof id !== 'number' || !Number.isInteger(id) || t.departments.has(id)) bad('departments.id');
      const parentId = raw.parentId ?? 999999;
      if (typeof parentId !== 'number' || !t.departments.has(parentId)) bad('departments.parentId');
      t.departments.set(id as number, {
        id: id as number,
        name: reqStr(raw.name, 'departments.name'),
        parentId: parentId as number,
        order: typeof raw.order === 'number' ? raw.order : 0,
        isStop: optBool(raw.isStop, 'isStop') ?? false,
      });
      undo.push(() => t.departments.delete(id as number));
    }
    for (const raw of arr(body.users, 'users').map((u) => obj(u, 'user'))) {
      const t = tenantOf(st, raw.corpId);
      const u = newUser(st, t, raw);
      t.users.set(u.openUserId, u);
      undo.push(() => t.users.delete(u.openUserId));
      answer.users.push({ corpId: t.corpId, openUserId: u.openUserId, mobile: u.mobile });
    }
    for (const raw of arr(body.objects, 'objects').map((o) => obj(o, 'object'))) {
      const t = tenantOf(st, raw.corpId);
      const o = createObject(t, raw);
      undo.push(() => t.objects.delete(o.api_name));
    }
    for (const raw of arr(body.fields, 'fields').map((f) => obj(f, 'field'))) {
      const t = tenantOf(st, raw.corpId);
      const o =
        t.objects.get(reqStr(raw.objectApiName, 'objectApiName')) ??
        bad(`unknown object ${String(raw.objectApiName)}`);
      const before = new Map(o.fields);
      createField(t, o, raw.field);
      undo.push(() => {
        o.fields = before;
      });
    }
    for (const raw of arr(body.files, 'files').map((f) => obj(f, 'file'))) {
      const t = tenantOf(st, raw.corpId);
      const type = raw.type === 'image' || raw.type === 'document' ? raw.type : bad('files.type');
      const bytes = Buffer.from(reqStr(raw.contentBase64, 'contentBase64'), 'base64');
      const f = storeFile(st, t, reqStr(raw.filename, 'filename'), bytes, type);
      undo.push(() => {
        t.files.delete(f.mediaId);
        t.filesByNpath.delete(f.npath);
      });
      answer.files.push({ corpId: t.corpId, filename: f.filename, mediaId: f.mediaId, npath: f.npath });
    }
    for (const raw of arr(body.productCategories, 'productCategories').map((c) => obj(c, 'category'))) {
      const t = tenantOf(st, raw.corpId);
      const actor = st.firstAdmin(t)?.openUserId ?? SYSTEM_USER;
      const r = editCategory(st, t, actor, {
        editFlag: 1,
        name: raw.name,
        code: raw.code,
        pid: raw.pid ?? undefined,
        orderField: raw.orderField,
      });
      const id = String(r?.id);
      undo.push(() => storeOf(t, 'ProductCategoryObj').remove(id));
      answer.productCategories.push({ corpId: t.corpId, code: raw.code, id });
    }
    for (const raw of arr(body.records, 'records').map((r) => obj(r, 'record'))) {
      const t = tenantOf(st, raw.corpId);
      const api = reqStr(raw.objectApiName, 'objectApiName');
      const o = t.objects.get(api) ?? bad(`unknown object ${api}`);
      if (o.master) bad(`${api} is a detail object: seed it through its master`);
      const ctx = writeCtx(st, t, st.firstAdmin(t)?.openUserId ?? SYSTEM_USER, false);
      const details = raw.details === undefined ? undefined : obj(raw.details, 'details');
      const r = seedRecord(ctx, o, obj(raw.record, 'record'), details);
      undo.push(() => {
        for (const [dApi, ids] of Object.entries(r.detailIds))
          for (const id of ids) storeOf(t, dApi).remove(id);
        storeOf(t, api).remove(r._id);
      });
      answer.records.push({ corpId: t.corpId, objectApiName: api, _id: r._id, detailIds: r.detailIds });
    }
  } catch (err) {
    for (const u of undo.reverse()) u();
    if (err instanceof FxError) bad(`seed: ${err.code} ${err.message}`);
    if (err instanceof ControlError) throw err;
    bad(`seed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return answer;
}

function parseFault(st: SandboxState, raw: Json): Fault {
  const action = raw.action;
  if (action !== 'error' && action !== 'http_status' && action !== 'delay' && action !== 'lose_response') {
    return bad('action must be error, http_status, delay or lose_response');
  }
  const times = raw.times ?? 1;
  if (typeof times !== 'number' || !Number.isInteger(times) || times < 1)
    bad('times must be a positive integer');
  const f: Fault = {
    id: `fault-${++st.faultSeq}`,
    path: reqStr(raw.path, 'path'),
    corpId: raw.corpId === undefined || raw.corpId === null ? null : reqStr(raw.corpId, 'corpId'),
    action,
    remaining: times as number,
  };
  if (action === 'error') {
    if (typeof raw.errorCode !== 'number' || !Number.isInteger(raw.errorCode)) bad('errorCode required');
    f.errorCode = raw.errorCode as number;
    if (raw.errorMessage !== undefined) f.errorMessage = reqStr(raw.errorMessage, 'errorMessage');
  }
  if (action === 'http_status') {
    const s = raw.httpStatus;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 100 || s > 599) bad('httpStatus required');
    f.httpStatus = s as number;
  }
  if (action === 'delay') {
    if (typeof raw.delayMs !== 'number' || raw.delayMs < 0) bad('delayMs required');
    f.delayMs = raw.delayMs as number;
  }
  return f;
}

/** Runs a UI edit like the API (§11.4): FxError answers the envelope, always with events. */
function uiCall(
  st: SandboxState,
  path: string,
  res: Response,
  run: () => { tenant: Tenant; result: Json; events?: () => void },
) {
  st.callSeq += 1;
  const traceId = `E-O.sandbox.${st.callSeq}`;
  const entry: CallEntry = {
    seq: st.callSeq,
    at: st.now(),
    path,
    corpId: null,
    currentOpenUserId: null,
    dataObjectApiName: null,
    httpStatus: 200,
    errorCode: 0,
    fault: null,
    durationMs: 0,
    traceId,
  };
  const started = Date.now();
  try {
    const { tenant, result, events } = run();
    entry.corpId = tenant.corpId;
    res.json({ errorCode: 0, errorMessage: 'OK', errorDescription: 'success', traceId, ...result });
    events?.();
  } catch (err) {
    if (!(err instanceof FxError)) {
      entry.httpStatus = err instanceof ControlError ? err.status : 500;
      entry.errorCode = null;
      throw err;
    }
    entry.errorCode = err.code;
    res.json({
      errorCode: err.code,
      errorMessage: err.message,
      errorDescription: err.message,
      traceId,
      ...err.extra,
    });
  } finally {
    entry.durationMs = Date.now() - started;
    st.calls.push(entry);
  }
}

function operator(t: Tenant, raw: unknown, st: SandboxState): string {
  if (raw === undefined) return st.firstAdmin(t)?.openUserId ?? bad('the tenant has no CRM admin');
  const u = t.users.get(reqStr(raw, 'operatorId'));
  if (!u || u.isStop) bad('unknown or stopped operatorId');
  return (u as User).openUserId;
}

export function controlRouter(st: SandboxState, bus: EventBus): Router {
  const r = express.Router();
  r.use(express.json({ limit: '50mb' }));
  const body = (req: Request): Json => (isObject(req.body) ? req.body : {});
  const q = (req: Request, k: string): string | undefined =>
    typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined;

  r.post('/reset', (_req, res) => {
    st.reset();
    bus.reset();
    res.json({ ok: true });
  });
  r.post('/seed', (req, res) => {
    res.json(seed(st, obj(req.body, 'body')));
  });
  r.post('/tenant', (req, res) => {
    const b = body(req);
    const t = tenantOf(st, b.corpId);
    const settings = tenantSettings(b);
    Object.assign(t, settings);
    if (settings.authorized === false) revokeCorpTokens(st, t);
    res.json(tenantJson(st, t));
  });
  const clock = (req: Request, res: Response) => {
    if (req.method === 'POST') {
      const b = body(req);
      if (b.nowMs !== undefined && b.advanceMs !== undefined) bad('at most one of nowMs and advanceMs');
      const frozen = optBool(b.frozen, 'frozen');
      for (const k of ['nowMs', 'advanceMs'] as const) {
        if (b[k] !== undefined && !(typeof b[k] === 'number' && Number.isFinite(b[k])))
          bad(`${k} must be a number`);
      }
      if (frozen === true) st.clock.setFrozen(true);
      if (typeof b.nowMs === 'number') st.clock.set(b.nowMs);
      if (typeof b.advanceMs === 'number') st.clock.set(st.now() + b.advanceMs);
      if (frozen === false) st.clock.setFrozen(false);
    }
    res.json({ nowMs: st.now(), frozen: st.clock.frozen });
  };
  r.get('/clock', clock);
  r.post('/clock', clock);
  r.post('/tokens/expire', (req, res) => {
    const b = body(req);
    const kind = b.kind ?? 'all';
    if (kind !== 'corp' && kind !== 'app' && kind !== 'all') bad('kind must be corp, app or all');
    const tenants = b.corpId === undefined ? [...st.tenants.values()] : [tenantOf(st, b.corpId)];
    let expired = 0;
    for (const t of tenants) {
      if (kind !== 'app') expired += revokeCorpTokens(st, t);
      if (kind !== 'corp') {
        const app = st.apps.get(t.appId);
        for (const tok of st.tokens.values()) {
          if (tok.kind === 'app' && tok.appId === t.appId && !tok.revoked) {
            if (st.tokenValid(tok)) expired += 1;
            tok.revoked = true;
          }
        }
        if (app) app.tokens.current = null;
      }
    }
    res.json({ expired });
  });
  const limits = (req: Request, res: Response) => {
    if (req.method === 'POST') {
      const b = body(req);
      const rl = optBool(b.rateLimit, 'rateLimit');
      const trl = optBool(b.tokenRateLimit, 'tokenRateLimit');
      const per20s = b.callsPer20s;
      if (per20s !== undefined && !(Number.isSafeInteger(per20s) && (per20s as number) >= 1))
        bad('callsPer20s must be a positive integer');
      if (optBool(b.resetCounters, 'resetCounters')) {
        st.windows = new Map();
        for (const t of st.tenants.values()) {
          t.tokens.calls = [];
          t.quota = { day: '', used: 0 };
        }
        for (const a of st.apps.values()) a.tokens.calls = [];
      }
      if (rl !== undefined) st.rateLimit = rl;
      if (trl !== undefined) st.tokenRateLimit = trl;
      if (typeof per20s === 'number') st.callsPer20s = per20s;
    }
    const quotas: Json = {};
    for (const t of st.tenants.values())
      quotas[t.corpId] = { dailyQuota: t.dailyQuota, usedToday: st.usedToday(t) };
    res.json({
      rateLimit: st.rateLimit,
      tokenRateLimit: st.tokenRateLimit,
      callsPer20s: st.callsPer20s,
      quotas,
    });
  };
  r.get('/limits', limits);
  r.post('/limits', limits);
  r.post('/faults', (req, res) => {
    const f = parseFault(st, body(req));
    st.faults.push(f);
    res.json({ id: f.id });
  });
  r.get('/faults', (_req, res) => {
    res.json({ faults: st.faults.map((f) => ({ ...f })) });
  });
  r.delete('/faults', (_req, res) => {
    const cleared = st.faults.length;
    st.faults = [];
    res.json({ cleared });
  });
  r.post('/install', async (req, res, next) => {
    try {
      const b = body(req);
      const t = tenantOf(st, b.corpId);
      if (b.type !== 'PermanentCode' && b.type !== 'CancelPermanentCode')
        bad('type must be PermanentCode or CancelPermanentCode');
      const url = b.callbackUrl === undefined ? t.callbackUrl : reqStr(b.callbackUrl, 'callbackUrl');
      if (!url) bad('no callbackUrl');
      const app = st.apps.get(t.appId) ?? notFound('unknown app');
      res.json(await installPush(st, t, app, b.type as 'PermanentCode', url as string));
    } catch (err) {
      next(err);
    }
  });
  r.post('/hooks', (req, res) => {
    const b = body(req);
    const t = tenantOf(st, b.corpId);
    if (b.url === null) {
      t.hook = null;
      res.json({ corpId: t.corpId, hook: null });
      return;
    }
    const objects = arr(b.objects, 'objects');
    for (const o of objects) {
      const def = typeof o === 'string' ? t.objects.get(o) : undefined;
      if (!def) bad(`unknown object ${String(o)}`);
      if (def?.master) bad(`${String(o)} is a detail object`);
    }
    t.hook = { url: reqStr(b.url, 'url'), secret: reqStr(b.secret, 'secret'), objects: objects as string[] };
    res.json({ corpId: t.corpId, hook: { url: t.hook.url, objects: [...t.hook.objects] } });
  });
  r.get('/hooks', (req, res) => {
    const t = tenantOf(st, q(req, 'corpId'));
    res.json({ corpId: t.corpId, hook: t.hook ? { url: t.hook.url, objects: [...t.hook.objects] } : null });
  });
  r.get('/events', (req, res) => {
    const corpId = q(req, 'corpId');
    const since = Number(q(req, 'sinceSeq') ?? 0);
    res.json({
      deliveries: bus.deliveries
        .filter((d) => (corpId === undefined || d.corpId === corpId) && d.seq > since)
        .map(({ corpId: _c, ...d }) => d),
    });
  });
  r.post('/events/flush', async (_req, res) => {
    res.json(await bus.flush());
  });
  r.get('/sso', (req, res) => {
    const t = st.tenant(q(req, 'corpId')) ?? bad('unknown tenant');
    const u = t.users.get(q(req, 'openUserId') ?? '');
    if (!u || u.isStop) bad('unknown or stopped user');
    const target = q(req, 'redirect') ?? t.entryUrl ?? bad('no redirect target');
    const app = st.apps.get(t.appId) ?? bad('unknown app');
    const code = hex(16, true);
    const timestamp = String(st.now());
    const nonce = alnum(16);
    st.codes.set(code, {
      code,
      appId: app.appId,
      corpId: t.corpId,
      openUserId: (u as User).openUserId,
      issuedAt: st.now(),
      used: false,
    });
    const params = new URLSearchParams({
      code,
      timestamp,
      nonce,
      codeSig: codeSignature(app.token, code, timestamp, nonce),
    });
    res.redirect(302, `${target}${target.includes('?') ? '&' : '?'}${params.toString()}`);
  });
  r.get('/records', (req, res) => {
    const t = tenantOf(st, q(req, 'corpId'));
    const api = q(req, 'objectApiName') ?? bad('objectApiName required');
    const o = t.objects.get(api) ?? notFound(`unknown object ${api}`);
    const store = storeOf(t, api);
    const id = q(req, 'id');
    const ids = id === undefined ? store.ids : store.byId.has(id) ? [id] : notFound(`unknown record ${id}`);
    res.json({ records: ids.map((i) => present(t, o, store.byId.get(i) ?? {}, false)) });
  });
  r.get('/files', (req, res) => {
    const t = tenantOf(st, q(req, 'corpId'));
    res.json({
      files: [...t.files.values()].map((f) => ({
        mediaId: f.mediaId,
        npath: f.npath,
        filename: f.filename,
        ext: f.ext,
        size: f.size,
        type: f.type,
      })),
    });
  });
  r.get('/calls', (req, res) => {
    const corpId = q(req, 'corpId');
    const path = q(req, 'path');
    const since = Number(q(req, 'sinceSeq') ?? 0);
    res.json({
      calls: st.calls.filter(
        (c) =>
          (corpId === undefined || c.corpId === corpId) &&
          (path === undefined || c.path === path) &&
          c.seq > since,
      ),
    });
  });
  r.delete('/calls', (_req, res) => {
    st.calls = [];
    res.json({ ok: true });
  });
  r.get('/messages', (req, res) => {
    const t = tenantOf(st, q(req, 'corpId'));
    res.json({ messages: t.messages.map((m) => ({ ...m, toUser: [...m.toUser] })) });
  });
  r.get('/users', (req, res) => {
    const t = tenantOf(st, q(req, 'corpId'));
    res.json({ users: [...t.users.values()].map(userJson) });
  });

  // §11.4 edits by a person.
  const uiData = (b: Json): { api: string; data: Json } => {
    const api = reqStr(b.objectApiName, 'objectApiName');
    const od = obj(b.object_data, 'object_data');
    if (od.dataObjectApiName !== undefined && od.dataObjectApiName !== api)
      bad('dataObjectApiName differs from objectApiName');
    return {
      api,
      data: {
        object_data: { ...od, dataObjectApiName: api },
        ...(b.details !== undefined ? { details: b.details } : {}),
      },
    };
  };
  const ui = (name: string, fn: (b: Json, t: Tenant) => { result: Json; events?: PendingList }) =>
    r.post(`/ui/${name}`, (req, res) => {
      const b = body(req);
      const t = tenantOf(st, b.corpId);
      uiCall(st, `/__sandbox/ui/${name}`, res, () => {
        const out = fn(b, t);
        return { tenant: t, result: out.result, events: () => bus.enqueue(t, out.events ?? []) };
      });
    });
  type PendingList = ReturnType<typeof writeCtx>['events'];
  ui('create', (b, t) => {
    const ctx = writeCtx(st, t, operator(t, b.operatorId, st), true);
    const { data } = uiData(b);
    const r2 = createRecord(ctx, 'any', data, true);
    return { result: { dataId: r2.dataId }, events: ctx.events };
  });
  ui('update', (b, t) => {
    const ctx = writeCtx(st, t, operator(t, b.operatorId, st), true);
    const { data } = uiData(b);
    return { result: updateRecord(ctx, 'any', data), events: ctx.events };
  });
  ui('invalid', (b, t) => {
    const ctx = writeCtx(st, t, operator(t, b.operatorId, st), true);
    invalidRecord(ctx, 'any', { dataObjectApiName: b.objectApiName, object_data_id: b.objectId });
    return { result: {}, events: ctx.events };
  });
  ui('approve', (b, t) => {
    if (b.result !== 'pass' && b.result !== 'reject') bad('result must be pass or reject');
    const ctx = writeCtx(st, t, operator(t, b.operatorId, st), true);
    const o = resolveObject(t, reqStr(b.objectApiName, 'objectApiName'), 'any', false);
    approveRecord(ctx, o, reqStr(b.objectId, 'objectId'), b.result === 'pass');
    return { result: {}, events: ctx.events };
  });
  ui('field', (b, t) => {
    const o = t.objects.get(reqStr(b.objectApiName, 'objectApiName')) ?? notFound('unknown object');
    const f = createField(t, o, b.field);
    return { result: { data: { field: fieldDescribe(t, o, f) } } };
  });

  r.use((_req, res) => {
    res.status(404).json({ error: 'unknown sandbox endpoint' });
  });
  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ControlError) res.status(err.status).json({ error: err.message });
    else if (isObject(err) && err.type === 'entity.parse.failed')
      res.status(400).json({ error: 'body is not JSON' });
    else res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
  });
  return r;
}
