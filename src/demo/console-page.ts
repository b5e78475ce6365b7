/** The demo console's one page: six small forms; each posts to /api/<action> and shows the answer. */

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.6 -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
  color: #1f2329; background: #f5f6f7; }
header { background: #fff; border-bottom: 1px solid #e4e6eb; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 0; color: #646a73; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 16px; padding: 16px 24px; }
section { background: #fff; border: 1px solid #e4e6eb; border-radius: 8px; padding: 16px; min-width: 0; }
section h2 { margin: 0 0 4px; font-size: 16px; }
section h2 small { font-weight: normal; color: #646a73; margin-left: 6px; font-size: 12px; }
section > p { margin: 0 0 12px; color: #646a73; font-size: 13px; }
label { display: block; margin-bottom: 8px; font-size: 13px; color: #1f2329; }
label.check { display: flex; gap: 6px; align-items: center; }
input:not([type=checkbox]), select { display: block; width: 100%; margin-top: 2px; padding: 6px 8px; font: inherit;
  border: 1px solid #d0d3d6; border-radius: 4px; background: #fff; min-width: 0; }
button { padding: 6px 16px; font: inherit; border: 0; border-radius: 4px; background: #3370ff; color: #fff; cursor: pointer; }
button:disabled { background: #a6c1ff; cursor: wait; }
.crm h2::before { content: "纷享"; } .jdy h2::before { content: "精斗云"; }
.crm h2::before, .jdy h2::before { font-size: 12px; color: #fff; border-radius: 3px; padding: 1px 6px; margin-right: 8px;
  vertical-align: 2px; background: #f54a45; }
.jdy h2::before { background: #3370ff; }
.result { margin-top: 12px; padding: 8px 12px; border-radius: 4px; font-size: 13px; overflow-wrap: anywhere; }
.result:empty { display: none; }
.result.ok { background: #e8f7ee; border: 1px solid #b7e4c7; }
.result.error { background: #fdeceb; border: 1px solid #f8c4c1; }
.result .hint { margin-top: 4px; color: #646a73; }
a { color: #3370ff; }
`;

const SCRIPT = `
const $ = (s, el = document) => el.querySelector(s);
let options = null;
function fill(select, items, label, value, blank) {
  const keep = select.value;
  select.replaceChildren();
  if (blank) select.append(new Option(blank, ''));
  for (const item of items) select.append(new Option(label(item), value(item)));
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}
async function load() {
  const res = await fetch('api/options');
  options = await res.json();
  document.querySelectorAll('select[data-list]').forEach((select) => {
    const list = select.dataset.list;
    if (list === 'crmCustomers') fill(select, options.crmCustomers, (c) => c.name + '（' + c.deal + '）', (c) => c.id);
    if (list === 'crmProducts') fill(select, options.crmProducts, (p) => p.name + '  ¥' + p.price, (p) => p.id);
    if (list === 'crmUsers') fill(select, options.crmUsers, (u) => u.name, (u) => u.id, '（操作人：第一位 CRM 管理员）');
    if (list === 'jdyProducts') fill(select, options.jdyProducts,
      (p) => p.number + ' ' + p.name + '（类别：' + (p.category || '无') + '，零售价 ' + p.retailPrice + '）', (p) => p.id);
    if (list === 'jdyProductNumbers') fill(select, options.jdyProducts, (p) => p.number + ' ' + p.name, (p) => p.number);
    if (list === 'jdyCategories') fill(select, options.jdyCategories, (g) => g.number + ' ' + g.name, (g) => g.id, '（不修改类别）');
    if (list === 'jdyOrders') fill(select, options.jdyOrders,
      (o) => o.billNo + ' ' + o.customer + ' ¥' + o.total + (o.audited ? '' : '（未审核）'), (o) => o.id);
    if (list === 'jdyWarehouses') fill(select, options.jdyWarehouses, (w) => w.number + ' ' + w.name, (w) => w.number);
  });
  const price = $('form[data-action=crmOrder] input[name=price]');
  const product = options.crmProducts.find((p) => p.id === $('form[data-action=crmOrder] select[name=productId]').value);
  if (product && !price.value) price.value = product.price;
}
function body(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'number') out[el.name] = Number(el.value);
    else out[el.name] = el.value;
  }
  return out;
}
document.querySelectorAll('form[data-action]').forEach((form) => {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = $('button', form);
    const result = $('.result', form);
    button.disabled = true;
    result.className = 'result';
    result.replaceChildren('处理中…');
    try {
      const res = await fetch('api/' + form.dataset.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body(form)),
      });
      const answer = await res.json();
      result.className = 'result ' + (res.ok ? 'ok' : 'error');
      result.replaceChildren(res.ok ? answer.message : answer.error);
      if (res.ok) {
        const hint = document.createElement('div');
        hint.className = 'hint';
        hint.textContent = '在哪里看：' + answer.hint;
        result.append(hint);
      }
      await load();
    } catch (error) {
      result.className = 'result error';
      result.replaceChildren('请求失败：' + error.message);
    } finally {
      button.disabled = false;
    }
  });
});
$('form[data-action=crmOrder] select[name=productId]').addEventListener('change', (e) => {
  const product = options?.crmProducts.find((p) => p.id === e.target.value);
  if (product) $('form[data-action=crmOrder] input[name=price]').value = product.price;
});
load();
`;

/** One action: a form posting to /api/<action>, with the system it changes and what it leads to. */
interface Card {
  side: 'crm' | 'jdy';
  action: string;
  title: string;
  leadsTo: string;
  intro: string;
  fields: string[];
  submit: string;
}

const pick = (label: string, name: string, list: string, required = true): string =>
  `<label>${label}<select name="${name}" data-list="${list}"${required ? ' required' : ''}></select></label>`;
const text = (label: string, name: string, attributes: string): string =>
  `<label>${label}<input name="${name}" ${attributes}></label>`;

const CARDS: Card[] = [
  {
    side: 'crm',
    action: 'crmCustomer',
    title: '新建客户',
    leadsTo: '成交后同步到精斗云',
    intro: '只有成交的客户才会同步到精斗云；勾选“同时成交”会给它下一张销售订单。',
    fields: [
      text('客户名称', 'name', 'required maxlength="80" value="杭州演示酒业有限公司"'),
      text('电话', 'tel', 'maxlength="30" value="0571-8888 0000"'),
      pick('负责人', 'ownerId', 'crmUsers', false),
      '<label class="check"><input type="checkbox" name="deal" checked>同时成交（新建一张销售订单）</label>',
      pick('订单产品', 'productId', 'crmProducts', false),
    ],
    submit: '在纷享新建客户',
  },
  {
    side: 'crm',
    action: 'crmOrder',
    title: '新建销售订单',
    leadsTo: '同步到精斗云',
    intro: '产品必须是从精斗云同步来的；客户还没同步时插件会先同步客户。',
    fields: [
      pick('客户', 'customerId', 'crmCustomers'),
      pick('产品', 'productId', 'crmProducts'),
      text('数量', 'quantity', 'type="number" min="1" value="2" required'),
      text('单价', 'price', 'inputmode="decimal" required'),
    ],
    submit: '在纷享新建销售订单',
  },
  {
    side: 'jdy',
    action: 'jdyProduct',
    title: '修改商品',
    leadsTo: '同步到纷享产品',
    intro: '改零售价或商品类别（没有类别的商品在纷享会同步失败，给它选一个类别即可修复）。',
    fields: [
      pick('商品', 'materialId', 'jdyProducts'),
      text('新的零售价', 'retailPrice', 'inputmode="decimal" placeholder="不修改请留空"'),
      pick('商品类别', 'categoryId', 'jdyCategories', false),
    ],
    submit: '在精斗云修改商品',
  },
  {
    side: 'jdy',
    action: 'jdyOutbound',
    title: '审核出库单',
    leadsTo: '生成纷享发货单',
    intro: '把销售订单下推为出库单并审核（订单未审核时先审核订单）。',
    fields: [pick('销售订单', 'orderId', 'jdyOrders')],
    submit: '在精斗云审核出库单',
  },
  {
    side: 'jdy',
    action: 'jdyReceipt',
    title: '新增收款',
    leadsTo: '生成纷享回款',
    intro: '为销售订单新增一张已审核的预收款单。',
    fields: [
      pick('销售订单', 'orderId', 'jdyOrders'),
      text('收款金额', 'amount', 'inputmode="decimal" value="100" required'),
    ],
    submit: '在精斗云新增收款',
  },
  {
    side: 'jdy',
    action: 'jdyStock',
    title: '调整库存',
    leadsTo: '同步到纷享库存',
    intro: '直接设置某个商品在某个仓库的库存数量（需开启 仓库 预设）。',
    fields: [
      pick('商品', 'materialNumber', 'jdyProductNumbers'),
      pick('仓库', 'stockNumber', 'jdyWarehouses'),
      text('库存数量', 'qty', 'inputmode="numeric" value="120" required'),
    ],
    submit: '在精斗云调整库存',
  },
];

const card = (c: Card): string => `<section class="${c.side}">
  <form data-action="${c.action}">
    <h2>${c.title}<small>${c.leadsTo}</small></h2>
    <p>${c.intro}</p>
    ${c.fields.join('\n    ')}
    <button type="submit">${c.submit}</button>
    <div class="result" role="status"></div>
  </form>
</section>`;

export function consolePage(links: { adminLink: string }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>演示控制台 · 精斗云连接器</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>演示控制台</h1>
  <p>在这里模拟有人在纷享销客 CRM 或金蝶精斗云里改数据，然后到插件里看变更怎样同步过去。
  <a href="${escapeHtml(links.adminLink)}" target="_blank" rel="noopener">打开插件（管理员 王建国）</a></p>
</header>
<main>
${CARDS.map(card).join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>`;
}
