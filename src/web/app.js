// The shell: session, left navigation, top bar (page title, connection state, user), notices and
// the page area. 401 anywhere → the "re-open from the CRM" screen; 403 → a read-only notice.
import { api, onApiEvent, setCsrfToken } from './api.js';
import { hashOf, startRouter } from './router.js';
import { button, clear, errorState, h, loading, notice, tag } from './ui.js';
import overview from './pages/overview.js';
import connect from './pages/connect.js';
import bindings from './pages/bindings.js';
import presets from './pages/presets.js';
import rules from './pages/rules.js';
import logs from './pages/logs.js';
import logDetail from './pages/log-detail.js';

const NAV = [
  ['overview', '概览', overview],
  ['connect', '连接精斗云', connect],
  ['bindings', '员工绑定', bindings],
  ['presets', '预设配置', presets],
  ['rules', '同步规则', rules],
  ['logs', '同步日志', logs],
];

const ROUTES = [
  ...NAV.map(([key, , page]) => ({ key, page, match: (p) => (p.length === 1 && p[0] === key ? {} : null) })),
  { key: 'logs', page: logDetail, match: (p) => (p.length === 2 && p[0] === 'logs' ? { id: p[1] } : null) },
];

const root = document.getElementById('app');
let stopped = false;

function reopenScreen() {
  stopped = true;
  document.querySelectorAll('dialog').forEach((d) => d.remove());
  clear(
    root,
    h(
      'div',
      { class: 'fullscreen', 'data-screen': 'reopen' },
      h(
        'div',
        { class: 'panel' },
        h('h1', {}, '请从纷享销客重新打开插件'),
        h(
          'p',
          { class: 'muted' },
          '登录已过期，或这个页面不是从纷享销客打开的。请回到纷享销客 CRM，在“应用”中重新打开“精斗云连接器”。',
        ),
        button('重新加载', { onClick: () => location.reload() }),
      ),
    ),
  );
}

function fatalScreen(error) {
  clear(
    root,
    h(
      'div',
      { class: 'fullscreen' },
      h(
        'div',
        { class: 'panel' },
        errorState(error, () => location.reload()),
      ),
    ),
  );
}

function connectionChip(conn) {
  if (!conn) return tag('连接状态未知');
  if (conn.status === 'connected') return tag(`已连接：${conn.accountName ?? conn.accountId ?? ''}`, 'ok');
  if (conn.status === 'paused') return tag('同步已暂停', 'danger');
  return tag('未连接精斗云');
}

async function main() {
  onApiEvent('unauthorized', reopenScreen);
  let session;
  try {
    session = await api.get('/api/session');
  } catch (error) {
    if (error.status === 401) return reopenScreen();
    return fatalScreen(error);
  }
  if (stopped) return;
  setCsrfToken(session.csrfToken);
  const isAdmin = session.user?.isAdmin === true;

  const navLinks = NAV.map(([key, label]) => h('a', { href: hashOf([key]), 'data-nav': key }, label));
  const title = h('h1', {}, '');
  const chipBox = h('span', { class: 'conn-chip' });
  const notices = h('div', { class: 'notices', 'aria-live': 'polite' });
  const content = h('main', { class: 'content' });
  clear(
    root,
    h(
      'div',
      { class: 'layout' },
      h(
        'nav',
        { class: 'nav', 'aria-label': '插件导航' },
        h('div', { class: 'nav-brand' }, h('img', { src: 'favicon.svg', alt: '' }), '精斗云连接'),
        navLinks,
      ),
      h(
        'div',
        { class: 'main' },
        h(
          'header',
          { class: 'topbar' },
          title,
          chipBox,
          h(
            'span',
            { class: 'who' },
            session.user?.name ?? '',
            isAdmin ? null : h('span', {}, ' · ', tag('只读', 'warn')),
          ),
        ),
        notices,
        content,
      ),
    ),
  );
  root.classList.remove('boot');

  const readOnlyNotice = () =>
    notice(
      'warn',
      '只读模式',
      '你不是 CRM 管理员，只能查看，不能修改设置或发起同步。如需修改，请联系 CRM 管理员。',
    );
  let forbiddenShown = false;
  onApiEvent('forbidden', (error) => {
    if (forbiddenShown || stopped) return;
    forbiddenShown = true;
    notices.append(
      notice(
        'warn',
        '没有修改权限',
        `${error.message}。如果刚被取消了 CRM 管理员身份，请从纷享销客重新打开插件。`,
      ),
    );
  });

  const shell = {
    session,
    isAdmin,
    connection: null,
    async refreshConnection() {
      try {
        shell.connection = await api.get('/api/jdy/connection');
      } catch {
        shell.connection = null;
      }
      if (!stopped) clear(chipBox, connectionChip(shell.connection));
      return shell.connection;
    },
  };
  void shell.refreshConnection();

  const router = startRouter({
    routes: ROUTES,
    fallback: hashOf(['overview']),
    onRoute: (route, params, query, signal) => {
      if (stopped) return;
      navLinks.forEach((a) => a.classList.toggle('active', a.dataset.nav === route.key));
      title.textContent = route.page.title;
      document.title = `${route.page.title} · 精斗云连接器`;
      forbiddenShown = false;
      clear(notices, isAdmin ? null : readOnlyNotice());
      document.querySelectorAll('dialog').forEach((d) => d.remove());
      const page = h('div', { class: 'page', 'data-page': route.key });
      clear(content, page);
      const timers = new Set();
      signal.addEventListener('abort', () => timers.forEach((t) => clearInterval(t)));
      const ctx = {
        ...shell,
        get connection() {
          return shell.connection;
        },
        refreshConnection: shell.refreshConnection,
        params,
        query,
        signal,
        navigate: (path, q) => {
          const hash = hashOf(path, q);
          // The same address again (e.g. 查询 with unchanged filters) fires no hashchange: render again.
          if (location.hash === hash) router.reload();
          else location.hash = hash;
        },
        /** Renders the current page again (after a change that affects the whole page). */
        reload: () => router.reload(),
        /** Repeats fn every ms while the page is shown; returns a stop function. */
        every(ms, fn) {
          const t = setInterval(() => {
            if (!signal.aborted && !stopped) fn();
          }, ms);
          timers.add(t);
          return () => {
            clearInterval(t);
            timers.delete(t);
          };
        },
      };
      const show = async () => {
        clear(page, loading());
        try {
          await route.page.render(page, ctx);
        } catch (error) {
          if (signal.aborted || stopped || error?.name === 'AbortError') return;
          if (error?.status === 401) return;
          clear(page, errorState(error, show));
        }
      };
      void show();
    },
  });
}

void main();
