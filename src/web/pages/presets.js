// 预设配置: three switches (产品品牌, 客户分类, 仓库), locked once on; what each adds to the CRM; when
// the CRM refused to create its fields, exactly which fields to create by hand, and 重新检查.
import { api } from '../api.js';
import { FIELD_TYPES, crmObjectName } from '../labels.js';
import {
  busy,
  button,
  clear,
  confirmDialog,
  fmtTime,
  h,
  notice,
  switchControl,
  table,
  tag,
  toast,
} from '../ui.js';

const PRESETS = {
  brand: {
    name: '产品品牌',
    summary: '把精斗云商品的品牌同步到纷享产品。',
    adds: ['在 产品 上添加字段 品牌（brand__c，单行文本）', '精斗云商品的品牌名称写入纷享产品的 品牌'],
  },
  customerCategory: {
    name: '客户分类',
    summary: '把精斗云的客户类别同步到纷享，并让客户带上分类。',
    adds: [
      '新建自定义对象 客户分类（object_customer_category__c：名称、编号、上级分类、备注）',
      '在 客户 上添加查找关联字段 客户分类（customer_category__c）',
      '精斗云客户类别同步到纷享 客户分类；客户同步到精斗云时带上客户分类',
    ],
  },
  warehouse: {
    name: '仓库',
    summary: '把精斗云仓库同步到纷享，下单时可以为每个订单产品选择发货仓库。',
    adds: [
      '精斗云仓库同步到纷享 仓库（编码、名称、是否启用）',
      '在 订单产品 上添加查找关联字段 发货仓库（warehouse__c → 仓库）',
      '销售订单同步到精斗云时按发货仓库选择精斗云仓库',
    ],
  },
};
const ORDER = ['brand', 'customerCategory', 'warehouse'];

export default {
  title: '预设配置',
  async render(root, ctx) {
    let presets = await api.get('/api/presets');
    if (ctx.signal.aborted) return;
    const cards = h('div', { class: 'grid' });
    const checkMsg = h('div');
    const recheck = button('重新检查', { name: 'recheck', disabled: !ctx.isAdmin });

    const doCheck = async (btn) => {
      clear(checkMsg);
      try {
        const res = await busy(btn, '正在检查…', () => api.post('/api/crm-fields/check', {}));
        presets = await api.get('/api/presets');
        paint();
        const missing = Array.isArray(res?.missing)
          ? res.missing
          : presets.flatMap((p) => (p.enabled ? (p.missing ?? []) : []));
        toast(
          missing.length ? `还缺少 ${missing.length} 个字段` : '纷享字段都已就绪',
          missing.length ? 'error' : 'ok',
        );
        if (missing.length) {
          clear(
            checkMsg,
            notice('warn', `还缺少 ${missing.length} 个字段`, '请按下表在纷享 CRM 后台创建后再检查。'),
            missingTable(missing),
          );
        } else {
          clear(checkMsg, notice('ok', '检查完成', '插件需要的纷享字段都已就绪。'));
        }
      } catch (error) {
        if (error.status === 401) return;
        clear(checkMsg, notice('danger', '检查失败', error.message));
        toast(`检查失败：${error.message}`, 'error');
      }
    };
    recheck.addEventListener('click', () => doCheck(recheck));

    function paint() {
      clear(
        cards,
        ORDER.map((key) => {
          const p = presets.find((x) => x.key === key) ?? {
            key,
            enabled: false,
            crmSetup: 'ready',
            missing: [],
          };
          return card(p);
        }),
      );
    }

    function card(p) {
      const info = PRESETS[p.key];
      const sw = switchControl(p.enabled, {
        disabled: p.enabled || !ctx.isAdmin,
        label: p.enabled ? '不可关闭' : '开启',
        onChange: async (checked, box) => {
          if (!checked) return;
          box.checked = false;
          const ok = await confirmDialog({
            title: `开启“${info.name}”`,
            confirmText: '开启',
            message: [
              h('p', {}, '开启后插件会在纷享 CRM 中：'),
              h(
                'ul',
                { class: 'adds' },
                info.adds.map((a) => h('li', {}, a)),
              ),
              h('p', {}, h('strong', {}, '开启后不能关闭。')),
            ],
            action: async () => {
              const updated = await api.post(`/api/presets/${p.key}/enable`, {});
              presets = presets.map((x) =>
                x.key === p.key ? { ...x, ...(updated ?? {}), enabled: true } : x,
              );
            },
          });
          if (!ok) return;
          const waiting = presets.find((x) => x.key === p.key)?.crmSetup === 'missing';
          toast(
            waiting ? `已开启“${info.name}”，但需要在纷享手工创建字段` : `已开启“${info.name}”`,
            waiting ? 'error' : 'ok',
          );
          try {
            presets = await api.get('/api/presets');
          } catch {
            /* keep the local state */
          }
          paint();
        },
      });
      sw.box.setAttribute('aria-label', info.name);
      sw.box.dataset.preset = p.key;
      const missing = p.missing ?? [];
      return h(
        'section',
        { class: 'panel preset-card', 'data-preset': p.key },
        h(
          'div',
          { class: 'panel-head' },
          h('h2', {}, info.name),
          p.enabled
            ? p.crmSetup === 'missing'
              ? tag('需要手工创建字段', 'danger')
              : tag('已开启', 'ok')
            : tag('未开启'),
          sw.el,
        ),
        h(
          'p',
          { class: 'muted' },
          info.summary,
          p.enabled && p.enabledAt ? ` 开启于 ${fmtTime(p.enabledAt)}。` : '',
        ),
        h(
          'ul',
          { class: 'adds' },
          info.adds.map((a) => h('li', {}, a)),
        ),
        p.enabled && p.crmSetup === 'missing'
          ? [
              notice(
                'danger',
                '纷享拒绝了自动创建字段',
                '插件没有权限修改纷享的对象设置。请 CRM 管理员在 纷享 CRM 后台 → 对象管理 中按下表手工创建，然后点“重新检查”。在此之前，这部分数据暂不同步。',
              ),
              missingTable(missing),
              h(
                'div',
                {},
                button('重新检查', {
                  name: `recheck-${p.key}`,
                  disabled: !ctx.isAdmin,
                  onClick: (e) => doCheck(e.currentTarget),
                }),
              ),
            ]
          : null,
      );
    }

    clear(
      root,
      notice(
        'info',
        null,
        '预设默认关闭，按需开启。开启后插件会在纷享中创建所需的字段或对象，并开始同步相应数据；开启后不能关闭。',
      ),
      cards,
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', {}, '纷享字段检查'), recheck),
        h(
          'p',
          { class: 'panel-desc' },
          '插件还会在 销售订单 上使用 同步状态、交货方式、附件同步 字段。如在纷享后台改动过这些字段，可以重新检查。',
        ),
        checkMsg,
      ),
    );
    paint();
  },
};

function missingTable(missing) {
  return table({
    label: '需要创建的字段',
    rows: missing,
    columns: [
      { title: '对象', width: '30%', render: (m) => crmObjectName(m.object) },
      { title: '字段 API 名称', width: '28%', render: (m) => h('code', {}, m.field) },
      { title: '显示名称', render: (m) => m.label },
      { title: '类型', width: '16%', render: (m) => FIELD_TYPES[m.type] ?? m.type },
    ],
  });
}
