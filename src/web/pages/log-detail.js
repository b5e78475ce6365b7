// 同步日志 › 详情: source and target ids, the reason in plain Chinese, the field mapping, the last
// source snapshot, each attempt's request and response (secrets already removed by the API), and
// 重新同步 / 从源系统重新拉取 / 删除映射.
import { api } from '../api.js';
import { hashOf } from '../router.js';
import { ERROR_CLASSES, FIELD_MAPPING, directionName, objectName, statusOf } from '../labels.js';
import { busy, button, clear, confirmDialog, fmtTime, h, notice, table, tag, toast } from '../ui.js';

/** Request / response bodies come as JSON text or objects: pretty-print either. */
export function pretty(value) {
  if (value === null || value === undefined || value === '') return '（无）';
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

export default {
  title: '同步日志详情',
  async render(root, ctx) {
    const id = ctx.params.id;
    let record;
    try {
      record = await api.get(`/api/records/${encodeURIComponent(id)}`);
    } catch (error) {
      if (error.status !== 404) throw error;
      clear(
        root,
        h(
          'div',
          { class: 'panel state' },
          h('div', { class: 'state-title' }, '找不到这条同步记录'),
          h('div', {}, '记录可能已超过 90 天被清理，或已被删除。'),
          h('div', {}, button('返回同步日志', { onClick: () => ctx.navigate(['logs']) })),
        ),
      );
      return;
    }
    if (ctx.signal.aborted) return;
    const r = record;
    const jdySide = r.direction === 'jdy_to_crm' ? 'source' : 'target';
    const [, statusLabel, statusKind] = statusOf(r.status);
    const actionMsg = h('div');

    const retry = (refetch) => async (event) => {
      clear(actionMsg);
      try {
        await busy(event.currentTarget, refetch ? '正在拉取…' : '正在提交…', () =>
          api.post(`/api/records/${encodeURIComponent(id)}/retry`, { refetch }),
        );
        toast(refetch ? '已从源系统重新拉取，稍后刷新查看结果' : '已加入同步队列，稍后刷新查看结果', 'ok');
      } catch (error) {
        if (error.status !== 401) clear(actionMsg, notice('danger', '操作失败', error.message));
      }
    };
    const retryBtn = button('重新同步', {
      kind: 'primary',
      name: 'retry',
      disabled: !ctx.isAdmin,
      onClick: retry(false),
    });
    const refetchBtn = button('从源系统重新拉取', {
      name: 'refetch',
      disabled: !ctx.isAdmin,
      onClick: retry(true),
    });
    const forgetBtn = button('删除映射', {
      kind: 'danger',
      name: 'forget',
      disabled: !ctx.isAdmin || (!r.targetId && !r.mapping),
    });
    const refreshBtn = button('刷新', { name: 'refresh', onClick: () => ctx.reload() });
    forgetBtn.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: '删除映射',
        danger: true,
        confirmText: '删除映射',
        message: [
          h(
            'p',
            {},
            `只删除插件记住的对应关系：${objectName(r.object)} “${r.sourceKey || r.sourceId}” ↔ 目标记录 ${r.targetId ?? '—'}。`,
          ),
          h('p', {}, h('strong', {}, '精斗云和纷享中的数据都不会被删除。')),
          h(
            'p',
            {},
            '删除后，下次同步会把它当作新记录：先按编码、单号或名称查找已有记录并重新关联，找不到时会新建一条，可能产生重复数据。',
          ),
        ],
        action: () => api.del(`/api/records/${encodeURIComponent(id)}/mapping`),
      });
      if (!ok) return;
      toast('已删除映射', 'ok');
      ctx.reload();
    });

    const attempts = Array.isArray(r.attempts) ? [...r.attempts].reverse() : [];
    const fieldRows = (FIELD_MAPPING[r.object] ?? []).map(([crm, jdy]) => ({ crm, jdy }));
    const mapping = r.mapping ?? null;

    clear(
      root,
      h(
        'div',
        { class: 'row' },
        h('a', { href: hashOf(['logs']) }, '‹ 返回同步日志'),
        h('span', { class: 'spacer' }),
        refreshBtn,
      ),
      h(
        'section',
        { class: 'panel' },
        h(
          'div',
          { class: 'panel-head' },
          h('h2', {}, `${objectName(r.object)}：${r.sourceKey || r.sourceId}`),
          tag(statusLabel, statusKind),
          h('span', { class: 'muted small' }, directionName(r.direction)),
        ),
        r.reason
          ? notice(
              r.status === 'failed' ? 'danger' : r.status === 'synced' ? 'info' : 'warn',
              r.status === 'failed' ? '失败原因' : r.status === 'synced' ? '提示' : '说明',
              h('div', { class: 'reason', 'data-value': 'reason' }, r.reason),
              r.errorClass && ERROR_CLASSES[r.errorClass]
                ? h('div', { class: 'small' }, ERROR_CLASSES[r.errorClass])
                : null,
              r.nextRetryAt ? h('div', { class: 'small' }, `下次自动重试：${fmtTime(r.nextRetryAt)}`) : null,
            )
          : null,
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, '源记录 ID'),
          h(
            'dd',
            { 'data-value': 'sourceId' },
            h('code', {}, r.sourceId ?? '—'),
            jdySide === 'source' ? ' （精斗云）' : ' （纷享）',
          ),
          h('dt', {}, '源记录编码'),
          h('dd', {}, r.sourceKey || '—'),
          h('dt', {}, '目标记录 ID'),
          h(
            'dd',
            { 'data-value': 'targetId' },
            r.targetId ? h('code', {}, r.targetId) : h('span', { class: 'muted' }, '尚未创建'),
            r.targetId ? (jdySide === 'target' ? ' （精斗云）' : ' （纷享）') : null,
          ),
          h('dt', {}, '映射'),
          h(
            'dd',
            {},
            mapping
              ? `精斗云 ${mapping.erpId ?? mapping.jdyId ?? '—'} ↔ 纷享 ${mapping.crmId ?? '—'}${mapping.createdAt ? `（建立于 ${fmtTime(mapping.createdAt)}）` : ''}`
              : h('span', { class: 'muted' }, '无'),
          ),
          h('dt', {}, '尝试次数'),
          h('dd', {}, String(r.attemptCount ?? r.attempts?.length ?? 0)),
          h('dt', {}, '更新时间'),
          h('dd', {}, fmtTime(r.updatedAt)),
        ),
        h('div', { class: 'row' }, retryBtn, refetchBtn, forgetBtn),
        h(
          'p',
          { class: 'muted small' },
          '重新同步：用上次读取的源数据按当前规则再同步一次。从源系统重新拉取：先重新读取源记录再同步。删除映射：只忘记对应关系，不删除任何数据。',
        ),
        actionMsg,
      ),
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', {}, '字段对应')),
        table({
          label: '字段对应',
          rows: fieldRows,
          empty: '该对象没有字段对应说明',
          columns: [
            { title: '纷享字段', render: (x) => x.crm },
            { title: '精斗云字段', render: (x) => x.jdy },
          ],
        }),
      ),
      h(
        'section',
        { class: 'panel', 'data-section': 'attempts' },
        h(
          'div',
          { class: 'panel-head' },
          h('h2', {}, `同步尝试（${attempts.length}）`),
          h('span', { class: 'muted small' }, '密码、令牌等敏感信息已隐去'),
        ),
        attempts.length === 0
          ? h('div', { class: 'muted' }, '还没有尝试过同步。')
          : attempts.map((a, i) =>
              h(
                'details',
                { class: 'attempt', open: i === 0, 'data-attempt': String(i) },
                h(
                  'summary',
                  {},
                  h('strong', {}, `第 ${attempts.length - i} 次`),
                  h('span', { class: 'muted' }, fmtTime(a.at)),
                  a.error ? tag('失败', 'danger') : tag('成功', 'ok'),
                  a.error ? h('span', { class: 'small' }, a.error) : null,
                ),
                h(
                  'div',
                  { class: 'attempt-body' },
                  h('div', { class: 'field-label' }, '请求'),
                  h('pre', { class: 'code', 'data-value': 'request' }, pretty(a.request)),
                  h('div', { class: 'field-label' }, '响应'),
                  h('pre', { class: 'code', 'data-value': 'response' }, pretty(a.response)),
                ),
              ),
            ),
      ),
      r.snapshot
        ? h(
            'section',
            { class: 'panel' },
            h(
              'details',
              {},
              h('summary', {}, h('strong', {}, '最近一次读取的源数据')),
              h('pre', { class: 'code' }, pretty(r.snapshot)),
            ),
          )
        : null,
    );
  },
};
