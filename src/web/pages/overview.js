// 概览: connection and account set, counts per direction and object, last/next run, the paused
// banner, 立即同步 (all or one object) and the progress of running runs (first import per object).
import { api } from '../api.js';
import { hashOf } from '../router.js';
import { DIRECTIONS, OBJECTS, RUN_STATUSES, RUN_TRIGGERS, objectName } from '../labels.js';
import {
  busy,
  button,
  clear,
  fmtNum,
  fmtTime,
  h,
  loading,
  notice,
  progress,
  table,
  tag,
  toast,
} from '../ui.js';

const settle = (p) =>
  p.then(
    (value) => ({ value }),
    (error) => ({ error }),
  );
const ACTIVE = new Set(['queued', 'running']);

export default {
  title: '概览',
  async render(root, ctx) {
    const banners = h('div', { class: 'banners' });
    const runMsg = h('div');
    const stats = h('div', { class: 'grid grid-3' });
    const runsBox = h('div');
    // Loading until the first answers arrive (the buttons show at once).
    const tables = h('div', { class: 'grid' }, loading());
    const recent = h('div');
    const syncAll = button('立即同步', { kind: 'primary', name: 'sync-all', disabled: !ctx.isAdmin });
    const refreshBtn = button('刷新', { name: 'refresh' });

    let data = null;
    let stopPolling = null;

    const runSync = async (btn, objects) => {
      clear(runMsg);
      try {
        await busy(btn, '正在启动…', () => api.post('/api/sync/run', objects ? { objects } : {}));
      } catch (error) {
        if (error.status === 401) return;
        clear(runMsg, notice('danger', '无法开始同步', error.message, hint409(error)));
        return;
      }
      toast(objects ? `已开始同步${objects.map(objectName).join('、')}` : '已开始同步全部对象', 'ok');
      await safeRefresh();
    };
    const safeRefresh = () =>
      refresh().catch((error) => {
        if (error.status !== 401 && !ctx.signal.aborted) toast(`刷新失败：${error.message}`, 'error');
      });
    syncAll.addEventListener('click', () => runSync(syncAll));
    refreshBtn.addEventListener('click', () => busy(refreshBtn, '刷新中…', safeRefresh));

    async function load() {
      const [conn, ov, runs, binds, schedule] = await Promise.all([
        settle(api.get('/api/jdy/connection')),
        settle(api.get('/api/overview')),
        settle(api.get('/api/sync/runs', { limit: 5 })),
        settle(api.get('/api/bindings')),
        settle(api.get('/api/schedule')),
      ]);
      if (conn.error && ov.error) throw conn.error;
      return { conn, ov, runs, binds, schedule };
    }

    async function refresh() {
      const next = await load();
      if (ctx.signal.aborted) return;
      data = next;
      paint();
    }

    function paint() {
      const { conn, ov, runs, binds, schedule } = data;
      const connection = conn.value ?? null;
      const boundCount = Array.isArray(binds.value) ? binds.value.filter((b) => b.crmUserId).length : null;

      // Banners: paused, not connected, no binding.
      clear(banners);
      if (connection?.status === 'paused') {
        banners.append(
          notice(
            'danger',
            '同步已暂停',
            h('div', {}, '原因：', connection.pausedReason || '精斗云授权已失效'),
            h(
              'div',
              {},
              '处理方法：请到 ',
              h('a', { href: hashOf(['connect']) }, '连接精斗云'),
              ' 用精斗云账号重新登录并连接同一账套（如账套取消了授权，请先在精斗云重新授权）。恢复后同步会从中断处继续，数据不会丢失。',
            ),
          ),
        );
      } else if (connection && connection.status === 'none') {
        banners.append(
          notice(
            'info',
            '开始使用：四步完成设置',
            h(
              'ol',
              { class: 'steps' },
              h(
                'li',
                {},
                h('a', { href: hashOf(['connect']) }, '连接精斗云'),
                '：用精斗云账号登录，选择要对接的账套',
              ),
              h(
                'li',
                {},
                h('a', { href: hashOf(['bindings']) }, '员工绑定'),
                '：把精斗云职员和纷享员工一一对应',
              ),
              h(
                'li',
                {},
                h('a', { href: hashOf(['presets']) }, '预设配置'),
                '：按需开启 产品品牌、客户分类、仓库',
              ),
              h(
                'li',
                {},
                h('a', { href: hashOf(['rules']) }, '同步规则'),
                '：选择手动或定时同步，然后点 立即同步',
              ),
            ),
          ),
        );
      }
      if (connection && connection.status !== 'none' && boundCount === 0) {
        banners.append(
          notice(
            'warn',
            '还没有绑定员工',
            '至少绑定一名员工后才会开始同步。',
            ' ',
            h('a', { href: hashOf(['bindings']) }, '去绑定员工'),
          ),
        );
      }
      if (ov.error) banners.append(notice('danger', '同步统计加载失败', ov.error.message));

      // Stats.
      const o = ov.value ?? {};
      const sched = schedule.value;
      const nextText =
        sched?.mode === 'manual'
          ? '手动同步模式'
          : connection?.status === 'paused'
            ? '已暂停'
            : fmtTime(o.nextRunAt);
      clear(
        stats,
        stat(
          '精斗云账套',
          connection?.status === 'none' || !connection
            ? '未连接'
            : (connection.accountName ?? connection.accountId),
          connection?.status === 'connected'
            ? tag('已连接', 'ok')
            : connection?.status === 'paused'
              ? tag('已暂停', 'danger')
              : tag('未连接'),
        ),
        stat('上次同步', fmtTime(o.lastRunAt), null),
        stat(
          '下次同步',
          nextText,
          sched?.mode === 'timed'
            ? h('span', { class: 'stat-sub' }, `每 ${sched.intervalMinutes} 分钟`)
            : null,
        ),
      );

      // Running runs with progress per object.
      const runList = Array.isArray(runs.value) ? runs.value : [];
      const active = runList.filter((r) => ACTIVE.has(r.status));
      clear(
        runsBox,
        // No run has finished yet: the active one is the first import (the API may say 'manual').
        active.map((r) => runPanel(r, r.trigger === 'initial' || runList.every((x) => ACTIVE.has(x.status)))),
      );
      if (active.length && !stopPolling) stopPolling = ctx.every(3000, () => refresh().catch(() => {}));
      if (!active.length && stopPolling) {
        stopPolling();
        stopPolling = null;
      }

      // Counts per direction.
      clear(tables);
      for (const [dir, dirLabel] of DIRECTIONS) {
        const counts = o[dir] ?? {};
        const keys = OBJECTS.map(([k]) => k).filter((k) => counts[k]);
        tables.append(
          h(
            'section',
            { class: 'panel', 'data-direction': dir },
            h('div', { class: 'panel-head' }, h('h2', {}, dirLabel)),
            table({
              label: dirLabel,
              rows: keys.map((k) => ({ key: k, ...counts[k] })),
              empty: connection?.status === 'none' ? '连接精斗云后显示' : '暂无同步对象',
              columns: [
                { title: '对象', render: (r) => objectName(r.key) },
                {
                  title: '已同步',
                  width: '14%',
                  className: 'num',
                  render: (r) => countLink(r.synced, r.key, dir, 'synced'),
                },
                {
                  title: '失败',
                  width: '14%',
                  className: 'num',
                  render: (r) => countLink(r.failed, r.key, dir, 'failed', 'danger'),
                },
                {
                  title: '等待',
                  width: '14%',
                  className: 'num',
                  render: (r) => countLink(r.waiting, r.key, dir, 'waiting'),
                },
                {
                  title: '合计',
                  width: '14%',
                  className: 'num',
                  render: (r) => countLink(r.total, r.key, dir),
                },
                {
                  title: '操作',
                  width: '96px',
                  render: (r) => {
                    const b = button('同步', {
                      kind: 'link',
                      name: `sync-${r.key}`,
                      disabled: !ctx.isAdmin || connection?.status === 'none',
                    });
                    b.addEventListener('click', () => runSync(b, [r.key]));
                    return b;
                  },
                },
              ],
            }),
          ),
        );
      }

      // Recent runs.
      clear(
        recent,
        h(
          'section',
          { class: 'panel' },
          h(
            'div',
            { class: 'panel-head' },
            h('h2', {}, '最近同步'),
            h('a', { href: hashOf(['logs']) }, '查看同步日志'),
          ),
          runs.error
            ? notice('danger', null, runs.error.message)
            : table({
                label: '最近同步',
                rows: runList,
                empty: '还没有同步过',
                columns: [
                  { title: '开始时间', width: '140px', render: (r) => fmtTime(r.startedAt) },
                  { title: '方式', width: '90px', render: (r) => RUN_TRIGGERS[r.trigger] ?? r.trigger },
                  { title: '对象', render: (r) => (r.objects ?? []).map(objectName).join('、') || '全部' },
                  { title: '状态', width: '120px', render: (r) => runTag(r.status) },
                  { title: '结果', width: '30%', render: (r) => countsText(r.counts) },
                ],
              }),
        ),
      );
    }

    function runPanel(run, first) {
      const objects = run.objects?.length ? run.objects : Object.keys(run.progress ?? {});
      return h(
        'section',
        { class: 'panel', 'data-run': run.runId },
        h(
          'div',
          { class: 'panel-head' },
          h('h2', {}, first ? '首次导入进行中' : '同步进行中'),
          runTag(run.status),
          h('span', { class: 'muted small' }, `开始于 ${fmtTime(run.startedAt)}`),
        ),
        first
          ? h(
              'p',
              { class: 'panel-desc' },
              '首次导入按顺序从精斗云导入资料到纷享，可以离开此页面，导入会在后台继续。',
            )
          : null,
        h(
          'div',
          { class: 'grid grid-2' },
          objects.map((key) => {
            const p = run.progress?.[key] ?? { status: 'pending', seen: 0 };
            const total = typeof p.total === 'number' ? p.total : null;
            const seen = p.seen ?? p.done ?? 0;
            const right =
              p.status === 'done'
                ? `完成，共 ${fmtNum(seen)} 条`
                : p.status === 'running'
                  ? total
                    ? `${fmtNum(seen)} / ${fmtNum(total)}`
                    : `已处理 ${fmtNum(seen)} 条`
                  : '等待中';
            return progress({
              label: objectName(key),
              right,
              value: seen,
              max: p.status === 'pending' ? 1 : total,
              done: p.status === 'done',
            });
          }),
        ),
      );
    }

    clear(
      root,
      h(
        'div',
        { class: 'row' },
        syncAll,
        refreshBtn,
        h(
          'span',
          { class: 'muted small' },
          '立即同步会同步全部已启用的对象；也可以在下表中只同步某一个对象。',
        ),
      ),
      runMsg,
      banners,
      stats,
      runsBox,
      tables,
      recent,
    );
    data = await load();
    if (ctx.signal.aborted) return;
    if (data.conn.value?.status === 'none') syncAll.disabled = true;
    paint();
  },
};

function hint409(error) {
  if (error.status !== 409) return null;
  return h(
    'div',
    {},
    '请先完成 ',
    h('a', { href: hashOf(['connect']) }, '连接精斗云'),
    ' 和 ',
    h('a', { href: hashOf(['bindings']) }, '员工绑定'),
    '。',
  );
}

function stat(label, value, extra) {
  return h(
    'div',
    { class: 'panel stat' },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, value ?? '—'),
    extra ? h('div', {}, extra) : null,
  );
}

function countLink(n, object, direction, status, kind) {
  if (typeof n !== 'number') return '—';
  if (n === 0) return h('span', { class: 'muted' }, '0');
  const a = h('a', { href: hashOf(['logs'], { object, direction, status }) }, fmtNum(n));
  if (kind === 'danger') a.classList.add('text-danger');
  return a;
}

function runTag(status) {
  const [label, kind] = RUN_STATUSES[status] ?? [status, ''];
  return tag(label, kind);
}

function countsText(c) {
  if (!c) return '—';
  const parts = [
    ['新增', c.created],
    ['更新', c.updated],
    ['未变', c.unchanged],
    ['等待', c.waiting],
    ['跳过', c.skipped],
    ['失败', c.failed],
  ].filter(([, n]) => n);
  return parts.length ? parts.map(([l, n]) => `${l} ${fmtNum(n)}`).join('，') : '没有变化';
}
