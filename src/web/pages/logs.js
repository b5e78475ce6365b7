// 同步日志: filters (object, direction, status, date range, keyword) kept in the address, a paged
// table, and 导出 of the same filters to xlsx. Anyone signed in may read it.
import { api } from '../api.js';
import { hashOf } from '../router.js';
import { DIRECTIONS, OBJECTS, STATUSES, directionName, objectName, statusOf } from '../labels.js';
import {
  busy,
  button,
  clear,
  field,
  fmtNum,
  fmtShortTime,
  fmtTime,
  h,
  input,
  loading,
  select,
  table,
  tag,
  toast,
} from '../ui.js';

const PAGE_SIZES = ['20', '50', '100'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The query of the address → the API filters (dates as Asia/Shanghai day bounds). */
export function filtersOf(query) {
  const f = {
    object: query.object || '',
    direction: query.direction || '',
    status: query.status || '',
    from: DATE.test(query.from ?? '') ? query.from : '',
    to: DATE.test(query.to ?? '') ? query.to : '',
    q: query.q || '',
    page: Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1),
    pageSize: PAGE_SIZES.includes(query.pageSize) ? Number(query.pageSize) : 20,
  };
  return f;
}

export function apiQuery(f) {
  return {
    object: f.object,
    direction: f.direction,
    status: f.status,
    from: f.from ? `${f.from}T00:00:00+08:00` : '',
    to: f.to ? `${f.to}T23:59:59.999+08:00` : '',
    q: f.q,
  };
}

export default {
  title: '同步日志',
  async render(root, ctx) {
    const f = filtersOf(ctx.query);
    const object = select([['', '全部对象'], ...OBJECTS], { name: 'object' });
    const direction = select([['', '全部方向'], ...DIRECTIONS], { name: 'direction' });
    const status = select([['', '全部状态'], ...STATUSES.map(([k, l]) => [k, l])], { name: 'status' });
    const from = input({ type: 'date', name: 'from' });
    const to = input({ type: 'date', name: 'to' });
    const q = input({ type: 'search', name: 'q', placeholder: '编码、名称、单号或 ID', maxlength: '100' });
    object.value = f.object;
    direction.value = f.direction;
    status.value = f.status;
    from.value = f.from;
    to.value = f.to;
    q.value = f.q;
    const fields = {
      object: field('对象', object),
      direction: field('方向', direction),
      status: field('状态', status),
      from: field('开始日期', from, { name: 'from' }),
      to: field('结束日期', to, { name: 'to' }),
      q: field('关键字', q, { name: 'q' }),
    };
    const searchBtn = button('查询', { kind: 'primary', type: 'submit', name: 'search' });
    const resetBtn = button('重置', { name: 'reset', onClick: () => ctx.navigate(['logs']) });
    const exportBtn = button('导出', { name: 'export' });
    const form = h(
      'form',
      { class: 'filters', novalidate: true, role: 'search' },
      Object.values(fields).map((x) => x.el),
      h('div', { class: 'actions' }, searchBtn, resetBtn, exportBtn),
    );

    const read = () => {
      Object.values(fields).forEach((x) => x.setError(null));
      const next = {
        object: object.value,
        direction: direction.value,
        status: status.value,
        from: from.value,
        to: to.value,
        q: q.value.trim(),
      };
      if (next.from && next.to && next.from > next.to) {
        fields.to.setError('结束日期不能早于开始日期');
        return null;
      }
      return next;
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const next = read();
      if (next) ctx.navigate(['logs'], { ...next, pageSize: f.pageSize === 20 ? '' : f.pageSize });
    });
    exportBtn.addEventListener('click', async () => {
      const next = read();
      if (!next) return;
      try {
        await busy(exportBtn, '导出中…', () =>
          api.download('/api/records/export', apiQuery(next), '同步日志.xlsx'),
        );
      } catch (error) {
        if (error.status !== 401) toast(error.message, 'error');
      }
    });

    // Loading until the records arrive (the filters show at once).
    const results = h('div', { 'data-results': '' }, loading('正在加载同步记录…'));
    clear(root, h('section', { class: 'panel' }, form), h('section', { class: 'panel' }, results));

    const data = await api.get('/api/records', { ...apiQuery(f), page: f.page, pageSize: f.pageSize });
    if (ctx.signal.aborted) return;
    const items = data?.items ?? [];
    const total = data?.total ?? 0;
    const pages = Math.max(1, Math.ceil(total / f.pageSize));
    const go = (page, pageSize = f.pageSize) =>
      ctx.navigate(['logs'], { ...f, page: page > 1 ? page : '', pageSize: pageSize === 20 ? '' : pageSize });
    const size = select(
      PAGE_SIZES.map((s) => [s, `每页 ${s} 条`]),
      { class: 'input input-sm', 'aria-label': '每页条数' },
    );
    size.value = String(f.pageSize);
    size.addEventListener('change', () => go(1, Number(size.value)));
    const filtered = f.object || f.direction || f.status || f.from || f.to || f.q;

    clear(
      results,
      table({
        label: '同步记录',
        rows: items,
        empty: filtered ? '没有符合条件的记录，可以放宽筛选条件' : '还没有同步记录',
        rowClass: (r) => (r.status === 'failed' ? 'row-error' : ''),
        columns: [
          { title: '对象', width: '80px', render: (r) => objectName(r.object) },
          {
            title: '方向',
            width: '112px',
            render: (r) => h('span', { class: 'dir' }, directionName(r.direction)),
          },
          {
            title: '源记录',
            width: '20%',
            render: (r) =>
              h(
                'div',
                {},
                h('div', {}, r.sourceKey || r.sourceId),
                r.sourceKey ? h('div', { class: 'muted small' }, r.sourceId) : null,
              ),
          },
          {
            title: '状态',
            width: '76px',
            render: (r) => {
              const [, label, kind] = statusOf(r.status);
              return tag(label, kind);
            },
          },
          {
            title: '原因',
            render: (r) =>
              r.reason
                ? h('div', { class: 'ellipsis', title: r.reason }, r.reason)
                : h('span', { class: 'muted' }, '—'),
          },
          {
            title: '次数',
            width: '52px',
            className: 'num',
            render: (r) => fmtNum(r.attempts ?? r.attemptCount ?? 0),
          },
          {
            title: '更新时间',
            width: '104px',
            render: (r) =>
              h('span', { class: 'nowrap', title: fmtTime(r.updatedAt) }, fmtShortTime(r.updatedAt)),
          },
          {
            title: '操作',
            width: '56px',
            render: (r) => h('a', { href: hashOf(['logs', r.id]), 'data-record': r.id }, '详情'),
          },
        ],
      }),
      h(
        'div',
        { class: 'pager' },
        h('span', {}, `共 ${fmtNum(total)} 条，第 ${f.page} / ${pages} 页`),
        h('span', { class: 'spacer' }),
        size,
        button('上一页', { size: 'sm', name: 'prev', disabled: f.page <= 1, onClick: () => go(f.page - 1) }),
        button('下一页', {
          size: 'sm',
          name: 'next',
          disabled: f.page >= pages,
          onClick: () => go(f.page + 1),
        }),
      ),
    );
  },
};
