// Small shared UI helpers: element builder, buttons, fields with inline errors, tables, dialogs,
// toasts, progress bars and the loading / empty / error states. No framework, no inline styles (CSP).

/** h('div', { class: 'x', onClick }, child, [children], 'text') → an element. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// ---------- formatting ----------
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const parts = Object.fromEntries(dateTime.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Compact time for tables: the year only when it is not this year. */
export function fmtShortTime(iso) {
  const full = fmtTime(iso);
  const thisYear = fmtTime(new Date().toISOString()).slice(0, 5);
  return full.startsWith(thisYear) ? full.slice(5) : full;
}

export const fmtNum = (n) => (typeof n === 'number' ? n.toLocaleString('zh-CN') : '—');

// ---------- buttons ----------
export function button(
  label,
  { kind = 'default', size, onClick, disabled, title, type = 'button', name } = {},
) {
  const cls = ['btn', `btn-${kind}`, size === 'sm' && 'btn-sm'];
  if (kind === 'link-danger') cls.splice(1, 1, 'btn-link', 'btn-danger');
  return h('button', { class: cls, type, onClick, disabled: !!disabled, title, 'data-name': name }, label);
}

/** Runs fn with the button disabled and a spinner; restores it afterwards (even on errors). */
export async function busy(btn, busyLabel, fn) {
  const saved = [...btn.childNodes];
  const wasDisabled = btn.disabled;
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  clear(btn, h('span', { class: 'spinner', 'aria-hidden': 'true' }), busyLabel);
  try {
    return await fn();
  } finally {
    btn.replaceChildren(...saved);
    btn.disabled = wasDisabled;
    btn.removeAttribute('aria-busy');
  }
}

// ---------- form fields ----------
let fieldSeq = 0;

/** A labelled control with a hint and an inline error (aria-invalid + aria-describedby). */
export function field(label, control, { hint, required, name } = {}) {
  const id = control.id || `f${++fieldSeq}`;
  control.id = id;
  if (name) control.dataset.field = name;
  const error = h('div', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true });
  const el = h(
    'div',
    { class: 'field', 'data-field': name },
    h('label', { class: 'field-label', for: id }, label, required ? h('span', { class: 'req' }, '*') : null),
    control,
    hint ? h('div', { class: 'field-hint' }, hint) : null,
    error,
  );
  return {
    el,
    control,
    setError(message) {
      error.textContent = message ?? '';
      error.hidden = !message;
      if (message) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', error.id);
      } else {
        control.removeAttribute('aria-invalid');
        control.removeAttribute('aria-describedby');
      }
    },
  };
}

export function input(props = {}) {
  return h('input', { class: 'input', type: 'text', autocomplete: 'off', ...props });
}

export function select(options, props = {}) {
  return h(
    'select',
    { class: 'input', ...props },
    options.map(([value, label]) => h('option', { value }, label)),
  );
}

/** Shows the API's field errors next to the matching fields; returns the messages left over. */
export function showFieldErrors(fields, error) {
  const rest = [];
  for (const d of error?.details ?? []) {
    const target = d.field && (fields[d.field] ?? fields[d.field.split('.')[0]]);
    if (target) target.setError(d.message);
    else rest.push(d.message);
  }
  return rest;
}

export function switchControl(checked, { disabled, label, onChange } = {}) {
  const box = h('input', { type: 'checkbox', role: 'switch', checked: !!checked, disabled: !!disabled });
  if (onChange) box.addEventListener('change', () => onChange(box.checked, box));
  return { el: h('label', { class: 'switch' }, box, h('span', { class: 'switch-track' }), label), box };
}

// ---------- notices, states ----------
export function notice(kind, title, ...body) {
  return h(
    'div',
    { class: ['notice', `notice-${kind}`], role: kind === 'danger' ? 'alert' : 'status' },
    h('div', { class: 'notice-body' }, title ? h('div', { class: 'notice-title' }, title) : null, body),
  );
}

export function loading(text = '正在加载…') {
  return h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), text);
}

export function emptyState(title, text, action) {
  return h(
    'div',
    { class: 'state state-empty' },
    h('div', { class: 'state-title' }, title),
    text,
    action ? h('div', {}, action) : null,
  );
}

export function errorState(error, onRetry) {
  return h(
    'div',
    { class: 'state state-error', role: 'alert' },
    h('div', { class: 'state-title' }, '加载失败'),
    h('div', {}, error?.message ?? '发生了未知错误'),
    onRetry ? button('重试', { onClick: onRetry }) : null,
  );
}

export function tag(text, kind) {
  return h('span', { class: ['tag', kind && `tag-${kind}`] }, text);
}

// ---------- table ----------
/**
 * columns: [{ title, width, className, render(row) → node|string }]; rows: array.
 * rowClass(row) → extra class for a row.
 */
export function table({ columns, rows, empty = '暂无数据', rowClass, label }) {
  const colgroup = h(
    'colgroup',
    {},
    columns.map((c) => {
      const col = h('col');
      if (c.width) col.style.width = c.width;
      return col;
    }),
  );
  const head = h(
    'thead',
    {},
    h(
      'tr',
      {},
      columns.map((c) => h('th', { class: c.className, title: c.title, scope: 'col' }, c.title)),
    ),
  );
  const body = h(
    'tbody',
    {},
    rows.length === 0
      ? h('tr', {}, h('td', { class: 'empty', colspan: String(columns.length) }, empty))
      : rows.map((row) =>
          h(
            'tr',
            { class: rowClass?.(row) },
            columns.map((c) => h('td', { class: c.className }, c.render(row))),
          ),
        ),
  );
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: 'table', 'aria-label': label }, colgroup, head, body),
  );
}

// ---------- progress ----------
/** value/max → a bar; max null → indeterminate (moving) bar. */
export function progress({ value = 0, max = null, label, right, done } = {}) {
  const fill = h('div', { class: ['progress-fill', done && 'done'] });
  const indeterminate = !done && (max === null || max === undefined || max <= 0);
  if (done) fill.style.width = '100%';
  else if (!indeterminate) fill.style.width = `${Math.min(100, Math.round((value / max) * 100))}%`;
  const bar = h(
    'div',
    {
      class: ['progress-bar', indeterminate && 'progress-indeterminate'],
      role: 'progressbar',
      'aria-valuemin': '0',
      'aria-valuemax': indeterminate ? undefined : String(done ? 1 : max),
      'aria-valuenow': indeterminate ? undefined : String(done ? 1 : value),
      'aria-label': label,
    },
    fill,
  );
  return h(
    'div',
    { class: 'progress' },
    label || right ? h('div', { class: 'progress-label' }, h('span', {}, label), h('span', {}, right)) : null,
    bar,
  );
}

// ---------- toast ----------
let toastBox = null;
export function toast(message, kind = 'info', ms = 3500) {
  if (!toastBox || !toastBox.isConnected) {
    toastBox = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(toastBox);
  }
  const el = h('div', { class: ['toast', `toast-${kind}`] }, message);
  toastBox.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? ms * 2 : ms);
}

// ---------- dialogs ----------
/** A modal dialog; returns { dialog, body, foot, close }. `onClose` runs once when it closes. */
export function modal({ title, body = [], foot = [], wide, onClose }) {
  const bodyEl = h('div', { class: 'modal-body' }, body);
  const footEl = h('div', { class: 'modal-foot' }, foot);
  const dialog = h(
    'dialog',
    { class: ['modal', wide && 'wide'], 'aria-label': title },
    h(
      'div',
      { class: 'modal-inner' },
      h(
        'div',
        { class: 'modal-head' },
        h('h2', {}, title),
        h(
          'button',
          { class: 'modal-close', type: 'button', 'aria-label': '关闭', onClick: () => close() },
          '×',
        ),
      ),
      bodyEl,
      footEl,
    ),
  );
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (dialog.open) dialog.close();
    dialog.remove();
    onClose?.();
  };
  dialog.addEventListener('close', close);
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, body: bodyEl, foot: footEl, close };
}

/**
 * Asks for confirmation. With `typed`, the person must type that exact text to enable the button.
 * Resolves true when confirmed. `action` (optional) runs before closing; its error is shown inside.
 */
export function confirmDialog({ title, message, confirmText = '确定', danger, typed, action }) {
  return new Promise((resolve) => {
    let result = false;
    const ok = button(confirmText, { kind: danger ? 'danger-solid' : 'primary', name: 'confirm' });
    const cancel = button('取消', { name: 'cancel' });
    const errorBox = h('div');
    let typedField = null;
    if (typed) {
      typedField = field(
        h('span', {}, '请输入 ', h('strong', {}, typed), ' 以确认'),
        input({ name: 'confirm-text' }),
      );
      ok.disabled = true;
      typedField.control.addEventListener('input', () => {
        ok.disabled = typedField.control.value.trim() !== typed;
      });
    }
    const m = modal({
      title,
      body: [Array.isArray(message) ? message : h('div', {}, message), typedField?.el, errorBox],
      foot: [cancel, ok],
      onClose: () => resolve(result),
    });
    cancel.addEventListener('click', () => m.close());
    ok.addEventListener('click', async () => {
      if (typed && typedField.control.value.trim() !== typed) return;
      if (action) {
        clear(errorBox);
        try {
          await busy(ok, '处理中…', action);
        } catch (error) {
          clear(errorBox, notice('danger', null, error?.message ?? '操作失败'));
          return;
        }
      }
      result = true;
      m.close();
    });
    (typedField?.control ?? cancel).focus();
  });
}
