// 员工绑定: the bindings table with search; 同步精斗云职员 (tick employees, auto-bind by mobile);
// bind / change / unbind by hand with a searchable CRM user picker; 下载模板, 导入 (check → report →
// apply all or only the valid rows), 导出.
import { api } from '../api.js';
import { BINDING_SOURCES } from '../labels.js';
import { pickCrmUser } from '../user-picker.js';
import {
  busy,
  button,
  clear,
  confirmDialog,
  errorState,
  field,
  h,
  input,
  loading,
  modal,
  notice,
  select,
  table,
  tag,
  toast,
} from '../ui.js';

const norm = (s) =>
  String(s ?? '')
    .toLowerCase()
    .replace(/\s+/g, '');
const MAX_BYTES = 5 * 1024 * 1024;

export default {
  title: '员工绑定',
  async render(root, ctx) {
    let bindings = await api.get('/api/bindings');
    if (ctx.signal.aborted) return;

    const search = input({
      type: 'search',
      placeholder: '搜索职员编码、姓名、手机或纷享员工',
      'aria-label': '搜索',
      name: 'q',
    });
    const filter = select(
      [
        ['', '全部'],
        ['bound', '已绑定'],
        ['unbound', '未绑定'],
      ],
      { 'aria-label': '绑定状态', name: 'filter', class: 'input input-sm' },
    );
    const syncBtn = button('同步精斗云职员', { kind: 'primary', name: 'from-jdy', disabled: !ctx.isAdmin });
    const templateBtn = button('下载模板', { name: 'template' });
    const importBtn = button('导入', { name: 'import', disabled: !ctx.isAdmin });
    const exportBtn = button('导出', { name: 'export' });
    const summary = h('div');
    const tableBox = h('div');

    const reload = async () => {
      try {
        bindings = await api.get('/api/bindings');
        if (!ctx.signal.aborted) paint();
      } catch (error) {
        if (error.status !== 401) toast(`刷新列表失败：${error.message}`, 'error');
      }
    };

    const takenBy = (user, except) => {
      const b = bindings.find((x) => x.crmUserId === user.crmUserId && x.id !== except);
      return b ? `已绑定 ${b.jdyName}` : null;
    };

    async function bind(b) {
      const user = await pickCrmUser({
        title: `为 ${b.jdyName} 选择纷享员工`,
        taken: (u) => takenBy(u, b.id),
      });
      if (!user) return;
      try {
        await api.put(`/api/bindings/${encodeURIComponent(b.id)}`, { crmUserId: user.crmUserId });
        toast(`已将 ${b.jdyName} 绑定到 ${user.name}`, 'ok');
        await reload();
      } catch (error) {
        if (error.status !== 401) toast(error.message, 'error');
      }
    }

    async function unbind(b) {
      const ok = await confirmDialog({
        title: '解除绑定',
        message: `解除后，精斗云职员 ${b.jdyName} 与纷享员工 ${b.crmUserName} 不再对应：之后同步的记录将使用默认负责人。`,
        confirmText: '解除绑定',
        danger: true,
        action: () => api.put(`/api/bindings/${encodeURIComponent(b.id)}`, { crmUserId: null }),
      });
      if (!ok) return;
      toast('已解除绑定', 'ok');
      await reload();
    }

    async function remove(b) {
      const ok = await confirmDialog({
        title: '移除职员',
        message: `从绑定列表中移除精斗云职员 ${b.jdyName}（${b.jdyNumber}）。以后可以通过“同步精斗云职员”再加回来。`,
        confirmText: '移除',
        danger: true,
        action: () => api.del(`/api/bindings/${encodeURIComponent(b.id)}`),
      });
      if (!ok) return;
      toast('已移除', 'ok');
      await reload();
    }

    function paint() {
      const q = norm(search.value);
      const f = filter.value;
      const rows = bindings.filter(
        (b) =>
          (!f || (f === 'bound' ? !!b.crmUserId : !b.crmUserId)) &&
          (!q || [b.jdyNumber, b.jdyName, b.jdyMobile, b.crmUserName].some((v) => norm(v).includes(q))),
      );
      const bound = bindings.filter((b) => b.crmUserId).length;
      clear(
        summary,
        bound === 0
          ? notice(
              'warn',
              '还没有绑定员工',
              '至少绑定一名员工后才会开始同步。点“同步精斗云职员”可按手机号自动绑定，也可以用 Excel 导入。',
            )
          : h(
              'div',
              { class: 'muted' },
              `共 ${bindings.length} 名精斗云职员，已绑定 ${bound} 名，未绑定 ${bindings.length - bound} 名。`,
            ),
      );
      clear(
        tableBox,
        table({
          label: '员工绑定',
          rows,
          empty: bindings.length ? '没有符合条件的职员' : '还没有精斗云职员，点“同步精斗云职员”开始',
          columns: [
            { title: '职员编码', width: '13%', render: (b) => b.jdyNumber },
            { title: '职员姓名', width: '14%', render: (b) => b.jdyName },
            {
              title: '职员手机',
              width: '16%',
              render: (b) => b.jdyMobile || h('span', { class: 'muted' }, '—'),
            },
            {
              title: '纷享员工',
              render: (b) => (b.crmUserId ? (b.crmUserName ?? b.crmUserId) : tag('未绑定', 'warn')),
            },
            {
              title: '绑定方式',
              width: '15%',
              render: (b) => (b.crmUserId ? (BINDING_SOURCES[b.source] ?? b.source ?? '—') : '—'),
            },
            {
              title: '操作',
              width: '200px',
              render: (b) =>
                ctx.isAdmin
                  ? h(
                      'div',
                      { class: 'actions' },
                      button(b.crmUserId ? '更换' : '绑定', {
                        kind: 'link',
                        onClick: () => bind(b),
                        name: 'bind',
                      }),
                      b.crmUserId
                        ? button('解除绑定', { kind: 'link', onClick: () => unbind(b), name: 'unbind' })
                        : null,
                      button('移除', { kind: 'link-danger', onClick: () => remove(b), name: 'remove' }),
                    )
                  : h('span', { class: 'muted' }, '—'),
            },
          ],
        }),
      );
    }

    search.addEventListener('input', paint);
    filter.addEventListener('change', paint);
    syncBtn.addEventListener('click', () => openEmployees(reload));
    templateBtn.addEventListener('click', () =>
      busy(templateBtn, '下载中…', () =>
        api.download('/api/bindings/template', null, '员工绑定模板.xlsx'),
      ).catch((e) => e.status !== 401 && toast(e.message, 'error')),
    );
    exportBtn.addEventListener('click', () =>
      busy(exportBtn, '导出中…', () => api.download('/api/bindings/export', null, '员工绑定.xlsx')).catch(
        (e) => e.status !== 401 && toast(e.message, 'error'),
      ),
    );
    importBtn.addEventListener('click', () => openImport(reload));

    clear(
      root,
      h(
        'section',
        { class: 'panel' },
        h(
          'div',
          { class: 'toolbar' },
          h('div', { class: 'grow' }, search),
          filter,
          syncBtn,
          templateBtn,
          importBtn,
          exportBtn,
        ),
        h(
          'p',
          { class: 'muted small' },
          '每名精斗云职员只能绑定一名纷享员工。精斗云单据的业务员按绑定确定纷享的负责人，纷享记录的负责人按绑定确定精斗云的业务员。',
        ),
        summary,
        tableBox,
      ),
    );
    paint();
  },
};

/** 同步精斗云职员: tick JDY employees to add; each is bound to the CRM user with the same mobile. */
function openEmployees(onDone) {
  const search = input({ type: 'search', placeholder: '搜索编码、姓名或手机', 'aria-label': '搜索职员' });
  const list = h('div', {}, loading('正在读取精斗云职员…'));
  const addBtn = button('添加并自动绑定', { kind: 'primary', name: 'add-employees', disabled: true });
  const msg = h('div');
  const m = modal({
    title: '同步精斗云职员',
    wide: true,
    body: [
      h(
        'p',
        { class: 'muted' },
        '勾选要绑定的精斗云职员：手机号与纷享员工一致（只有一人）时自动绑定，其余稍后手动选择。',
      ),
      search,
      list,
      msg,
    ],
    foot: [button('取消', { onClick: () => m.close() }), addBtn],
  });
  let employees = [];
  const chosen = new Set();
  const paint = () => {
    const q = norm(search.value);
    const rows = employees.filter((e) => !q || [e.number, e.name, e.mobile].some((v) => norm(v).includes(q)));
    const selectable = rows.filter((e) => !e.bound);
    const all = h('input', {
      type: 'checkbox',
      'aria-label': '全选',
      checked: selectable.length > 0 && selectable.every((e) => chosen.has(e.jdyEmpId)),
      disabled: selectable.length === 0,
    });
    all.addEventListener('change', () => {
      selectable.forEach((e) => (all.checked ? chosen.add(e.jdyEmpId) : chosen.delete(e.jdyEmpId)));
      paint();
    });
    clear(
      list,
      table({
        label: '精斗云职员',
        rows,
        empty: employees.length ? '没有匹配的职员' : '精斗云中没有职员',
        columns: [
          { title: '', width: '40px', render: () => null },
          { title: '职员编码', width: '20%', render: (e) => e.number },
          { title: '姓名', render: (e) => e.name },
          { title: '手机', width: '28%', render: (e) => e.mobile || h('span', { class: 'muted' }, '—') },
          { title: '状态', width: '18%', render: (e) => (e.bound ? tag('已绑定', 'ok') : tag('未绑定')) },
        ],
      }),
    );
    // First column: checkboxes (header = select all).
    list.querySelector('thead th').replaceChildren(all);
    list.querySelectorAll('tbody tr').forEach((tr, i) => {
      const e = rows[i];
      if (!e) return;
      const box = h('input', {
        type: 'checkbox',
        checked: e.bound || chosen.has(e.jdyEmpId),
        disabled: e.bound,
        'aria-label': `选择 ${e.name}`,
        'data-emp': e.jdyEmpId,
      });
      box.addEventListener('change', () => {
        if (box.checked) chosen.add(e.jdyEmpId);
        else chosen.delete(e.jdyEmpId);
        paint();
      });
      tr.firstChild.replaceChildren(box);
    });
    addBtn.disabled = chosen.size === 0;
    clear(addBtn, chosen.size ? `添加并自动绑定（${chosen.size}）` : '添加并自动绑定');
  };
  const load = () => {
    clear(list, loading('正在读取精斗云职员…'));
    api
      .get('/api/jdy/employees')
      .then((e) => {
        employees = Array.isArray(e) ? e : [];
        paint();
      })
      .catch((error) => {
        if (error.status !== 401) clear(list, errorState(error, load));
      });
  };
  search.addEventListener('input', paint);
  addBtn.addEventListener('click', async () => {
    clear(msg);
    try {
      const res = await busy(addBtn, '正在绑定…', () =>
        api.post('/api/bindings/from-jdy', { jdyEmpIds: [...chosen] }),
      );
      const created = Array.isArray(res) ? res : [];
      const matched = created.filter((b) => b.crmUserId).length;
      const unbound = created.filter((b) => !b.crmUserId);
      toast(
        created.length
          ? `已添加 ${created.length} 名职员，其中 ${matched} 名按手机号自动绑定${unbound.length ? `，${unbound.length} 名请手动选择纷享员工` : ''}`
          : '已添加所选职员',
        'ok',
        6000,
      );
      await onDone();
      if (unbound.length === 0) return m.close();
      // Say why each was left unbound (no CRM user with that mobile, several, already taken…).
      clear(
        msg,
        notice(
          'warn',
          '以下职员未能自动绑定',
          h(
            'ul',
            { class: 'err-list' },
            unbound.map((b) =>
              h('li', {}, h('strong', {}, `${b.jdyName}：`), b.reason ?? '请手动选择纷享员工'),
            ),
          ),
        ),
      );
      addBtn.hidden = true;
    } catch (error) {
      if (error.status !== 401) clear(msg, notice('danger', '添加失败', error.message));
    }
  });
  load();
}

/** 导入: pick an xlsx → check (row-by-row report) → apply all, or only the valid rows. */
function openImport(onDone) {
  const fileInput = h('input', {
    type: 'file',
    accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    class: 'input',
    name: 'file',
  });
  const fileField = field('Excel 文件（.xlsx，最大 5 MB，最多 5000 行）', fileInput, {
    name: 'file',
    hint: '列：精斗云职员编码、精斗云职员姓名、精斗云职员手机、纷享员工手机（或纷享员工姓名）。可先下载模板填写。',
  });
  const checkBtn = button('检查文件', { kind: 'primary', name: 'check' });
  const report = h('div');
  const applyAll = button('全部导入', { kind: 'primary', name: 'apply', hidden: true });
  const applyValid = button('仅导入有效行', { name: 'apply-valid', hidden: true });
  let file = null;
  const m = modal({
    title: '导入员工绑定',
    wide: true,
    body: [fileField.el, h('div', {}, checkBtn), report],
    foot: [button('关闭', { onClick: () => m.close() }), applyValid, applyAll],
  });
  fileInput.addEventListener('change', () => {
    fileField.setError(null);
    clear(report);
    applyAll.hidden = applyValid.hidden = true;
  });

  checkBtn.addEventListener('click', async () => {
    fileField.setError(null);
    file = fileInput.files?.[0] ?? null;
    if (!file) return fileField.setError('请选择要导入的 Excel 文件');
    if (!/\.xlsx$/i.test(file.name))
      return fileField.setError('只支持 .xlsx 格式的 Excel 文件（可先下载模板）');
    if (file.size > MAX_BYTES) return fileField.setError('文件超过 5 MB，请拆分后分批导入');
    clear(report, loading('正在逐行检查…'));
    applyAll.hidden = applyValid.hidden = true;
    try {
      const res = await busy(checkBtn, '检查中…', () =>
        api.upload('/api/bindings/import', file, { mode: 'check' }),
      );
      paintReport(res);
    } catch (error) {
      clear(report);
      if (error.status === 401) return;
      const rowErrors = error.details?.filter((d) => d.message) ?? [];
      fileField.setError(error.message);
      if (rowErrors.length)
        report.append(
          notice(
            'danger',
            null,
            h(
              'ul',
              { class: 'err-list' },
              rowErrors.map((d) => h('li', {}, d.message)),
            ),
          ),
        );
    }
  });

  function paintReport(res) {
    const rows = res?.rows ?? [];
    const bad = rows.filter((r) => r.status !== 'ok');
    const good = rows.length - bad.length;
    let onlyErrors = bad.length > 0;
    const toggle = h('input', { type: 'checkbox', checked: onlyErrors });
    const tableBox = h('div');
    const paintTable = () =>
      clear(
        tableBox,
        table({
          label: '检查结果',
          rows: onlyErrors ? bad : rows,
          rowClass: (r) => (r.status === 'ok' ? '' : 'row-error'),
          columns: [
            { title: '行号', width: '70px', render: (r) => `第 ${r.row} 行` },
            {
              title: '结果',
              width: '80px',
              render: (r) => (r.status === 'ok' ? tag('正确', 'ok') : tag('有误', 'danger')),
            },
            {
              title: '问题',
              render: (r) =>
                r.errors?.length
                  ? h(
                      'ul',
                      { class: 'err-list' },
                      r.errors.map((e) =>
                        h(
                          'li',
                          {},
                          // The API may already name the cell in its message (第 3 行「纷享员工手机」：…).
                          e.column && !e.message.includes(e.column) ? h('strong', {}, `${e.column}：`) : null,
                          e.message,
                        ),
                      ),
                    )
                  : h('span', { class: 'muted' }, '—'),
            },
          ],
        }),
      );
    toggle.addEventListener('change', () => {
      onlyErrors = toggle.checked;
      paintTable();
    });
    paintTable();
    clear(
      report,
      bad.length
        ? notice(
            'warn',
            `共 ${rows.length} 行：${good} 行正确，${bad.length} 行有误`,
            '有误的行不会导入。可以修改文件后重新检查，或只导入正确的行。',
          )
        : notice('ok', `共 ${rows.length} 行，全部正确`, '点“全部导入”写入绑定。'),
      bad.length ? h('label', { class: 'check' }, toggle, '只看有误的行') : null,
      tableBox,
    );
    applyAll.hidden = false;
    applyAll.disabled = bad.length > 0 || rows.length === 0;
    applyAll.title = bad.length ? '有误的行需要先改正，或选择“仅导入有效行”' : '';
    applyValid.hidden = !(bad.length > 0 && good > 0);
  }

  const apply = async (btn, mode) => {
    try {
      const res = await busy(btn, '正在导入…', () => api.upload('/api/bindings/import', file, { mode }));
      // "全部导入" writes nothing when a row is wrong (e.g. the bindings changed since the check).
      if (mode === 'apply' && (res?.rows ?? []).some((r) => r.status !== 'ok')) {
        paintReport(res);
        report.prepend(notice('danger', '未导入', '文件中有误的行，没有导入任何数据。'));
        return;
      }
      toast(`已导入 ${res?.applied ?? 0} 行`, 'ok');
      m.close();
      await onDone();
    } catch (error) {
      if (error.status === 401) return;
      clear(report, notice('danger', '导入失败', error.message));
    }
  };
  applyAll.addEventListener('click', () => apply(applyAll, 'apply'));
  applyValid.addEventListener('click', () => apply(applyValid, 'apply-valid'));
}
