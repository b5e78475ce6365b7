// 连接精斗云: mobile + password → the account sets (authorised or how to authorise) → 开始连接;
// reset with a typed confirmation of the account set's name.
import { api } from '../api.js';
import { hashOf } from '../router.js';
import {
  busy,
  button,
  clear,
  confirmDialog,
  field,
  fmtTime,
  h,
  input,
  notice,
  showFieldErrors,
  tag,
  toast,
} from '../ui.js';

/** A mainland mobile number after removing spaces and dashes (and a leading +86 / 86). */
export function normaliseMobile(value) {
  const digits = String(value ?? '')
    .replace(/[\s-]/g, '')
    .replace(/^(\+?86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

const AUTH_HINT =
  '该账套还没有授权本应用：请用账套管理员登录金蝶精斗云（云星辰），在应用中心找到本应用并为这个账套授权，然后回到这里点“重新获取账套”。';

export default {
  title: '连接精斗云',
  async render(root, ctx) {
    const conn = await api.get('/api/jdy/connection');
    if (ctx.signal.aborted) return;

    const current = h('section', { class: 'panel' });
    paintCurrent(current, conn);

    // Step 1: login.
    const mobile = field(
      '精斗云账号（手机号）',
      input({
        name: 'mobile',
        inputmode: 'numeric',
        autocomplete: 'username',
        placeholder: '例如 13800000001',
        maxlength: '20',
      }),
      { required: true, name: 'mobile' },
    );
    const password = field(
      '密码',
      input({ name: 'password', type: 'password', autocomplete: 'current-password' }),
      {
        required: true,
        name: 'password',
        hint: '密码只用于本次登录获取账套列表，插件不会保存。',
      },
    );
    const loginBtn = button(conn.status === 'none' ? '获取账套' : '重新获取账套', {
      kind: 'primary',
      type: 'submit',
      name: 'login',
    });
    const loginMsg = h('div');
    const loginForm = h(
      'form',
      { class: 'form', novalidate: true },
      h(
        'fieldset',
        { disabled: !ctx.isAdmin, class: 'form' },
        mobile.el,
        password.el,
        h('div', {}, loginBtn),
      ),
      loginMsg,
    );

    // Step 2: account sets.
    const accountBox = h('div');
    let login = null;

    loginForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      mobile.setError(null);
      password.setError(null);
      clear(loginMsg);
      const m = normaliseMobile(mobile.control.value);
      let bad = false;
      if (!m) {
        mobile.setError(
          mobile.control.value.trim()
            ? '请输入 11 位中国大陆手机号，例如 13800000001'
            : '请输入精斗云账号的手机号',
        );
        bad = true;
      }
      if (!password.control.value) {
        password.setError('请输入密码');
        bad = true;
      }
      if (bad) return;
      try {
        login = await busy(loginBtn, '正在登录精斗云…', () =>
          api.post('/api/jdy/login', { mobile: m, password: password.control.value }),
        );
        password.control.value = '';
        paintAccounts();
      } catch (error) {
        if (error.status === 401) return;
        const rest = showFieldErrors({ mobile, password }, error);
        if (rest.length || !error.details.length)
          clear(
            loginMsg,
            notice(
              'danger',
              error.status === 422 ? '精斗云拒绝了登录' : '登录失败',
              error.message,
              rest.filter((r) => r !== error.message).join('；'),
            ),
          );
      }
    });

    function paintAccounts() {
      const sets = login?.accountSets ?? [];
      let chosen = null;
      const connectBtn = button('开始连接', { kind: 'primary', name: 'connect', disabled: true });
      const connectMsg = h('div');
      const list = h(
        'div',
        { class: 'choices', role: 'radiogroup', 'aria-label': '账套' },
        sets.map((s) => {
          const radio = h('input', {
            type: 'radio',
            name: 'account',
            value: s.accountId,
            disabled: !s.authorised,
          });
          const row = h(
            'label',
            { class: ['choice', !s.authorised && 'disabled'], 'data-account': s.accountId },
            radio,
            h(
              'div',
              { class: 'choice-body' },
              h(
                'div',
                { class: 'row' },
                h('span', { class: 'choice-title' }, s.accountName),
                s.authorised ? tag('已授权', 'ok') : tag('未授权', 'warn'),
              ),
              h(
                'div',
                { class: 'muted small' },
                [s.groupName, `账套 ID ${s.accountId}`].filter(Boolean).join(' · '),
              ),
              s.authorised ? null : h('div', { class: 'small' }, AUTH_HINT),
            ),
          );
          radio.addEventListener('change', () => {
            chosen = s;
            list
              .querySelectorAll('.choice')
              .forEach((c) => c.classList.toggle('selected', c.dataset.account === s.accountId));
            connectBtn.disabled = !ctx.isAdmin;
          });
          return row;
        }),
      );
      connectBtn.addEventListener('click', async () => {
        if (!chosen) return;
        clear(connectMsg);
        if (login.expiresAt && new Date(login.expiresAt).getTime() < Date.now()) {
          clear(
            connectMsg,
            notice('warn', '登录已过期', '精斗云登录只保留 10 分钟，请重新输入密码获取账套。'),
          );
          return;
        }
        try {
          await busy(connectBtn, '正在连接…', () =>
            api.post('/api/jdy/connect', { loginId: login.loginId, accountId: chosen.accountId }),
          );
          toast(`已连接账套“${chosen.accountName}”`, 'ok');
          await ctx.refreshConnection();
          ctx.navigate(['bindings']);
        } catch (error) {
          if (error.status === 401) return;
          clear(
            connectMsg,
            notice(
              'danger',
              error.status === 409 ? '不能切换账套' : '连接失败',
              error.message,
              error.status === 409 ? h('div', {}, '如确需连接其他账套，请先在下方“重置连接”。') : null,
            ),
          );
        }
      });
      const allUnauthorised = sets.length > 0 && sets.every((s) => !s.authorised);
      clear(
        accountBox,
        h(
          'section',
          { class: 'panel', 'data-step': 'accounts' },
          h(
            'div',
            { class: 'panel-head' },
            h('h2', {}, '第二步：选择账套'),
            login?.expiresAt
              ? h('span', { class: 'muted small' }, `登录有效至 ${fmtTime(login.expiresAt)}`)
              : null,
          ),
          sets.length === 0
            ? notice(
                'warn',
                '这个精斗云账号下没有账套',
                '请确认账号是否正确，或在精斗云中创建账套后重新获取。',
              )
            : [allUnauthorised ? notice('warn', '所有账套都还没有授权', AUTH_HINT) : null, list],
          h(
            'div',
            { class: 'row' },
            connectBtn,
            h(
              'span',
              { class: 'muted small' },
              '连接后会自动开始首次导入（客户、产品等），可在概览中查看进度。',
            ),
          ),
          connectMsg,
        ),
      );
    }

    const loginPanel = h(
      'section',
      { class: 'panel', 'data-step': 'login' },
      h(
        'div',
        { class: 'panel-head' },
        h('h2', {}, conn.status === 'none' ? '第一步：登录精斗云' : '重新登录 / 更换账套'),
      ),
      conn.status === 'paused'
        ? h('p', { class: 'panel-desc' }, '同步已暂停：重新登录并连接同一账套即可恢复。')
        : conn.status === 'connected'
          ? h(
              'p',
              { class: 'panel-desc' },
              '如精斗云授权过期，可在此重新登录并连接同一账套。已同步过数据后，更换为其他账套需要先重置连接。',
            )
          : null,
      loginForm,
    );

    clear(root, current, loginPanel, accountBox, conn.status !== 'none' ? resetPanel(conn, ctx) : null);
  },
};

function paintCurrent(box, conn) {
  if (conn.status === 'none') {
    clear(
      box,
      h('div', { class: 'panel-head' }, h('h2', {}, '当前连接'), tag('未连接')),
      h(
        'p',
        { class: 'muted' },
        '还没有连接精斗云。用精斗云账号登录后，选择一个已授权本应用的账套即可开始。',
      ),
    );
    return;
  }
  clear(
    box,
    h(
      'div',
      { class: 'panel-head' },
      h('h2', {}, '当前连接'),
      conn.status === 'connected' ? tag('已连接', 'ok') : tag('已暂停', 'danger'),
    ),
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, '账套名称'),
      h('dd', { 'data-value': 'accountName' }, conn.accountName ?? '—'),
      h('dt', {}, '账套 ID'),
      h('dd', {}, conn.accountId ?? '—'),
      h('dt', {}, '连接时间'),
      h('dd', {}, fmtTime(conn.connectedAt)),
    ),
    conn.status === 'paused'
      ? notice(
          'danger',
          '同步已暂停',
          conn.pausedReason || '精斗云授权已失效',
          h('div', {}, '请在下方重新登录并连接同一账套。'),
        )
      : null,
  );
}

function resetPanel(conn, ctx) {
  const resetBtn = button('重置连接…', { kind: 'danger', name: 'reset', disabled: !ctx.isAdmin });
  resetBtn.addEventListener('click', async () => {
    const name = conn.accountName ?? conn.accountId;
    const done = await confirmDialog({
      title: '重置连接',
      danger: true,
      confirmText: '重置',
      typed: name,
      message: [
        h('p', {}, '重置会断开当前账套，并删除插件保存的全部对应关系（哪条精斗云记录对应哪条纷享记录）。'),
        h(
          'p',
          {},
          '两边系统里的客户、产品、订单等数据都不会被删除。重置后再连接账套，插件会重新做首次导入，并按编码、名称重新关联已有记录。',
        ),
      ],
      action: () => api.post('/api/jdy/reset', { confirm: name }),
    });
    if (!done) return;
    toast('已重置连接', 'ok');
    await ctx.refreshConnection();
    ctx.reload();
  });
  return h(
    'section',
    { class: 'panel', 'data-section': 'reset' },
    h('div', { class: 'panel-head' }, h('h2', {}, '重置连接')),
    h(
      'p',
      { class: 'panel-desc' },
      '要改为连接另一个账套时使用。重置只删除插件中的对应关系，不删除任何业务数据。',
    ),
    h(
      'div',
      { class: 'row' },
      resetBtn,
      h('a', { href: hashOf(['logs']), class: 'small' }, '先查看同步日志'),
    ),
  );
}
