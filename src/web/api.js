// The plugin API (docs: shared/specs/plugin-api.md): JSON in and out, the CSRF header on every
// state-changing request, and every failure turned into an ApiError with a Chinese message.
// 401 and 403 are also announced to the shell (re-open screen, read-only notice).

const DEFAULT_MESSAGES = {
  0: '无法连接插件服务，请检查网络后重试',
  400: '输入有误，请检查后重试',
  401: '登录已过期，请从纷享销客重新打开插件',
  403: '没有权限进行此操作（仅 CRM 管理员可以修改）',
  404: '未找到该记录',
  409: '当前状态下不能进行此操作',
  413: '文件或内容过大',
  422: '外部系统拒绝了请求',
  429: '操作过于频繁，请稍后再试',
  500: '服务器内部错误，请稍后重试',
  502: '服务暂时不可用，请稍后重试',
  503: '外部系统暂时无法访问，请稍后重试',
  504: '服务响应超时，请稍后重试',
};

export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = Array.isArray(details) ? details : [];
  }
}

const listeners = { unauthorized: new Set(), forbidden: new Set() };
let csrfToken = '';

export function onApiEvent(name, fn) {
  listeners[name].add(fn);
  return () => listeners[name].delete(fn);
}

export function setCsrfToken(token) {
  csrfToken = token ?? '';
}

function url(path, query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function errorOf(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const e = body && typeof body === 'object' ? body.error : null;
  const message =
    (e && typeof e.message === 'string' && e.message) ||
    DEFAULT_MESSAGES[res.status] ||
    `请求失败（${res.status}）`;
  return new ApiError(res.status, (e && e.code) || `http_${res.status}`, message, e?.details);
}

async function send(method, path, { query, body, form, signal } = {}) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = csrfToken;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(url(path, query), {
      method,
      headers,
      body: payload,
      signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', DEFAULT_MESSAGES[0]);
  }
  if (!res.ok) {
    const error = await errorOf(res);
    if (res.status === 401) listeners.unauthorized.forEach((fn) => fn(error));
    if (res.status === 403 && error.code !== 'csrf_failed') listeners.forbidden.forEach((fn) => fn(error));
    throw error;
  }
  return res;
}

async function json(method, path, options) {
  const res = await send(method, path, options);
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'bad_response', '服务返回的内容无法识别，请稍后重试');
  }
}

function fileNameOf(res, fallback) {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(cd);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

export const api = {
  get: (path, query, options) => json('GET', path, { ...options, query }),
  post: (path, body, options) => json('POST', path, { ...options, body: body ?? {} }),
  put: (path, body, options) => json('PUT', path, { ...options, body }),
  del: (path, options) => json('DELETE', path, options),
  /** multipart upload of one file (field `file`). */
  upload: (path, file, query) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return json('POST', path, { form, query });
  },
  /** GET a file (xlsx) and hand it to the browser as a download. */
  async download(path, query, fallbackName) {
    const res = await send('GET', path, { query });
    const blob = await res.blob();
    const href = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = href;
    a.download = fileNameOf(res, fallbackName);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
    return a.download;
  },
};
