// 同步规则: manual / timed, the intervals, a daily window; default owner, users to notify, auto-audit.
import { api } from '../api.js';
import { loadCrmUsers, pickCrmUser } from '../user-picker.js';
import { busy, button, clear, field, h, input, notice, showFieldErrors, toast } from '../ui.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export default {
  title: '同步规则',
  async render(root, ctx) {
    const [schedule, settings] = await Promise.all([api.get('/api/schedule'), api.get('/api/settings')]);
    if (ctx.signal.aborted) return;
    let users = [];
    const usersLoaded = loadCrmUsers()
      .then((u) => (users = u))
      .catch(() => (users = []));
    const nameOf = (id) => users.find((u) => u.crmUserId === id)?.name ?? id;

    // ---- schedule ----
    const modeManual = h('input', {
      type: 'radio',
      name: 'mode',
      value: 'manual',
      checked: schedule.mode === 'manual',
    });
    const modeTimed = h('input', {
      type: 'radio',
      name: 'mode',
      value: 'timed',
      checked: schedule.mode !== 'manual',
    });
    const interval = field(
      '同步间隔（分钟）',
      input({
        type: 'number',
        min: '1',
        max: '1440',
        step: '1',
        name: 'intervalMinutes',
        value: String(schedule.intervalMinutes ?? 5),
      }),
      {
        name: 'intervalMinutes',
      },
    );
    const invInterval = field(
      '库存同步间隔（分钟）',
      input({
        type: 'number',
        min: '1',
        max: '1440',
        step: '1',
        name: 'inventoryIntervalMinutes',
        value: String(schedule.inventoryIntervalMinutes ?? 1),
      }),
      {
        name: 'inventoryIntervalMinutes',
      },
    );
    const allDay = h('input', { type: 'radio', name: 'window', value: 'all', checked: !schedule.window });
    const inWindow = h('input', {
      type: 'radio',
      name: 'window',
      value: 'window',
      checked: !!schedule.window,
    });
    const start = input({
      type: 'time',
      name: 'start',
      value: schedule.window?.start ?? '08:00',
      'aria-label': '开始时间',
    });
    const end = input({
      type: 'time',
      name: 'end',
      value: schedule.window?.end ?? '20:00',
      'aria-label': '结束时间',
    });
    const windowField = field(
      '同步时段（北京时间）',
      h('div', { class: 'time-range' }, start, h('span', {}, '至'), end),
      { name: 'window' },
    );
    windowField.el.querySelector('label').removeAttribute('for');
    const timedBox = h(
      'div',
      { class: 'form' },
      h('div', { class: 'grid grid-2' }, interval.el, invInterval.el),
      h(
        'div',
        { class: 'field-hint' },
        '精斗云 → 纷享 的对象每隔多久检查一次变化，最少 1 分钟；纷享 → 精斗云 在纷享有变更时立即同步。',
      ),
      h(
        'div',
        { class: 'field' },
        h('span', { class: 'field-label' }, '时段'),
        h(
          'div',
          { class: 'inline-choices' },
          h('label', {}, allDay, '全天'),
          h('label', {}, inWindow, '只在每天的固定时段同步'),
        ),
      ),
      windowField.el,
    );
    const scheduleMsg = h('div');
    const saveSchedule = button('保存同步方式', { kind: 'primary', type: 'submit', name: 'save-schedule' });
    const syncView = () => {
      timedBox.hidden = !modeTimed.checked;
      windowField.el.hidden = !inWindow.checked;
    };
    [modeManual, modeTimed, allDay, inWindow].forEach((r) => r.addEventListener('change', syncView));
    syncView();

    const scheduleForm = h(
      'form',
      { novalidate: true, 'data-form': 'schedule' },
      h(
        'fieldset',
        { disabled: !ctx.isAdmin, class: 'form' },
        h(
          'div',
          { class: 'choices', role: 'radiogroup', 'aria-label': '同步方式' },
          choice(
            modeManual,
            '手动同步',
            '只有点“立即同步”时才同步；期间纷享的变更会先记录下来，等下次同步时处理。',
          ),
          choice(
            modeTimed,
            '定时同步（推荐）',
            '按下面的间隔自动从精斗云读取变化；纷享的变更实时同步到精斗云。',
          ),
        ),
        timedBox,
        h('div', {}, saveSchedule),
      ),
      scheduleMsg,
    );
    scheduleForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      [interval, invInterval, windowField].forEach((f) => f.setError(null));
      clear(scheduleMsg);
      const body = { mode: modeTimed.checked ? 'timed' : 'manual' };
      let bad = false;
      const minutes = (f) => {
        const v = f.control.value.trim();
        const n = Number(v);
        if (!v || !Number.isInteger(n) || n < 1 || n > 1440) {
          f.setError('请输入 1 到 1440 之间的整数');
          bad = true;
        }
        return n;
      };
      body.intervalMinutes = modeTimed.checked
        ? minutes(interval)
        : Number(interval.control.value) || schedule.intervalMinutes || 5;
      body.inventoryIntervalMinutes = modeTimed.checked
        ? minutes(invInterval)
        : Number(invInterval.control.value) || schedule.inventoryIntervalMinutes || 1;
      body.window = null;
      if (modeTimed.checked && inWindow.checked) {
        if (!TIME.test(start.value) || !TIME.test(end.value)) {
          windowField.setError('请填写开始和结束时间，格式如 08:00');
          bad = true;
        } else if (start.value === end.value) {
          // A window may cross midnight (22:00 至 06:00).
          windowField.setError('开始和结束时间不能相同');
          bad = true;
        }
        body.window = { start: start.value, end: end.value };
      } else if (!modeTimed.checked) body.window = schedule.window ?? null;
      if (bad) return;
      try {
        await busy(saveSchedule, '保存中…', () => api.put('/api/schedule', body));
        toast('同步方式已保存', 'ok');
      } catch (error) {
        if (error.status === 401) return;
        const rest = showFieldErrors(
          { intervalMinutes: interval, inventoryIntervalMinutes: invInterval, window: windowField },
          error,
        );
        clear(
          scheduleMsg,
          notice('danger', '保存失败', error.message, rest.length ? h('div', {}, rest.join('；')) : null),
        );
      }
    });

    // ---- settings ----
    let ownerId = settings.defaultOwnerId ?? null;
    let notifyIds = [...(settings.notifyUserIds ?? [])];
    const ownerBox = h('div', { class: 'row' });
    const ownerField = field('默认负责人', ownerBox, {
      name: 'defaultOwnerId',
      hint: '精斗云单据的业务员没有绑定纷享员工时，同步到纷享的记录用这个负责人（并在日志中提示）。',
    });
    ownerField.el.querySelector('label').removeAttribute('for');
    const notifyBox = h('div', { class: 'row' });
    const notifyField = field('同步失败通知', notifyBox, {
      name: 'notifyUserIds',
      hint: '有记录同步失败时，每次同步给这些人发一条纷享消息（汇总，附同步日志链接）。不选则不通知。',
    });
    notifyField.el.querySelector('label').removeAttribute('for');
    const autoAudit = h('input', {
      type: 'checkbox',
      name: 'autoAuditOrders',
      checked: !!settings.autoAuditOrders,
    });
    const settingsMsg = h('div');
    const saveSettings = button('保存设置', { kind: 'primary', type: 'submit', name: 'save-settings' });

    const paintOwner = () =>
      clear(
        ownerBox,
        h(
          'span',
          { 'data-value': 'owner' },
          ownerId ? nameOf(ownerId) : h('span', { class: 'muted' }, '未设置'),
        ),
        button(ownerId ? '更换' : '选择', {
          size: 'sm',
          name: 'pick-owner',
          disabled: !ctx.isAdmin,
          onClick: async () => {
            const u = await pickCrmUser({ title: '选择默认负责人' });
            if (u) {
              ownerId = u.crmUserId;
              ownerField.setError(null);
              paintOwner();
            }
          },
        }),
      );
    const paintNotify = () =>
      clear(
        notifyBox,
        h(
          'div',
          { class: 'chips' },
          notifyIds.length === 0
            ? h('span', { class: 'muted' }, '不通知')
            : notifyIds.map((id) =>
                h(
                  'span',
                  { class: 'chip' },
                  nameOf(id),
                  ctx.isAdmin
                    ? h('button', {
                        type: 'button',
                        'aria-label': `移除 ${nameOf(id)}`,
                        text: '×',
                        onClick: () => {
                          notifyIds = notifyIds.filter((x) => x !== id);
                          paintNotify();
                        },
                      })
                    : null,
                ),
              ),
        ),
        button('选择人员', {
          size: 'sm',
          name: 'pick-notify',
          disabled: !ctx.isAdmin,
          onClick: async () => {
            const ids = await pickCrmUser({ title: '选择通知人员', multiple: true, selected: notifyIds });
            if (ids) {
              notifyIds = ids;
              paintNotify();
            }
          },
        }),
      );
    paintOwner();
    paintNotify();
    void usersLoaded.then(() => {
      if (ctx.signal.aborted) return;
      paintOwner();
      paintNotify();
    });

    const settingsForm = h(
      'form',
      { novalidate: true, 'data-form': 'settings' },
      h(
        'fieldset',
        { disabled: !ctx.isAdmin, class: 'form' },
        ownerField.el,
        notifyField.el,
        h(
          'div',
          { class: 'field' },
          h('label', { class: 'check' }, autoAudit, '销售订单同步到精斗云后自动审核'),
          h(
            'div',
            { class: 'field-hint' },
            '不勾选时，订单在精斗云中保持未审核，由财务或仓库人员审核；审核前纷享修改订单会继续同步。',
          ),
        ),
        h('div', {}, saveSettings),
      ),
      settingsMsg,
    );
    settingsForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      ownerField.setError(null);
      notifyField.setError(null);
      clear(settingsMsg);
      if (!ownerId) {
        ownerField.setError('请选择默认负责人');
        return;
      }
      try {
        await busy(saveSettings, '保存中…', () =>
          api.put('/api/settings', {
            defaultOwnerId: ownerId,
            notifyUserIds: notifyIds,
            autoAuditOrders: autoAudit.checked,
          }),
        );
        toast('设置已保存', 'ok');
      } catch (error) {
        if (error.status === 401) return;
        const rest = showFieldErrors({ defaultOwnerId: ownerField, notifyUserIds: notifyField }, error);
        clear(
          settingsMsg,
          notice('danger', '保存失败', error.message, rest.length ? h('div', {}, rest.join('；')) : null),
        );
      }
    });

    clear(
      root,
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', {}, '同步方式')),
        scheduleForm,
      ),
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', {}, '负责人、通知与审核')),
        settingsForm,
      ),
    );
  },
};

function choice(radio, title, desc) {
  const el = h(
    'label',
    { class: ['choice', radio.checked && 'selected'] },
    radio,
    h(
      'div',
      { class: 'choice-body' },
      h('div', { class: 'choice-title' }, title),
      h('div', { class: 'muted small' }, desc),
    ),
  );
  radio.addEventListener('change', () => {
    el.parentElement
      ?.querySelectorAll('.choice')
      .forEach((c) => c.classList.toggle('selected', c.contains(radio) ? radio.checked : false));
  });
  return el;
}
