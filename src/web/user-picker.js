// A searchable picker of CRM users (GET /api/crm-users → [{ crmUserId, name, mobile }]).
import { api } from './api.js';
import { button, clear, errorState, h, input, loading, modal, tag } from './ui.js';

let cache = null;

export function loadCrmUsers({ fresh } = {}) {
  if (!cache || fresh) {
    cache = api.get('/api/crm-users').then((users) => (Array.isArray(users) ? users : (users?.items ?? [])));
    cache.catch(() => {
      cache = null;
    });
  }
  return cache;
}

const norm = (s) =>
  String(s ?? '')
    .toLowerCase()
    .replace(/\s+/g, '');

/**
 * Opens the picker. `taken(user)` → a note when that user cannot be picked (e.g. "已绑定 张三").
 * multiple: returns an array of ids (initially `selected`); single: one user or null (cancel).
 */
export function pickCrmUser({ title = '选择纷享员工', taken, multiple = false, selected = [] } = {}) {
  return new Promise((resolve) => {
    let result = null;
    const chosen = new Set(selected);
    const search = input({ type: 'search', placeholder: '搜索姓名或手机号', 'aria-label': '搜索纷享员工' });
    const list = h('div', { class: 'pick-list', role: 'listbox' }, loading());
    const done = button('确定', { kind: 'primary', name: 'pick-done' });
    const m = modal({
      title,
      body: [search, list],
      foot: multiple
        ? [button('取消', { onClick: () => m.close() }), done]
        : [button('取消', { onClick: () => m.close() })],
      onClose: () => resolve(result),
    });
    done.addEventListener('click', () => {
      result = [...chosen];
      m.close();
    });
    let users = [];
    const render = () => {
      const q = norm(search.value);
      const shown = users.filter((u) => !q || norm(u.name).includes(q) || norm(u.mobile).includes(q));
      if (shown.length === 0)
        return clear(list, h('div', { class: 'state' }, q ? '没有匹配的员工' : '纷享中没有员工'));
      clear(
        list,
        shown.slice(0, 200).map((u) => {
          const note = taken?.(u);
          const item = h(
            'button',
            {
              type: 'button',
              class: 'pick-item',
              disabled: !!note && !multiple,
              role: 'option',
              'data-user': u.crmUserId,
            },
            multiple
              ? h('input', {
                  type: 'checkbox',
                  checked: chosen.has(u.crmUserId),
                  tabindex: '-1',
                  'aria-hidden': 'true',
                })
              : null,
            h('span', { class: 'grow' }, u.name, ' ', h('span', { class: 'muted small' }, u.mobile ?? '')),
            note ? tag(note) : null,
          );
          item.addEventListener('click', () => {
            if (multiple) {
              if (chosen.has(u.crmUserId)) chosen.delete(u.crmUserId);
              else chosen.add(u.crmUserId);
              render();
            } else {
              result = u;
              m.close();
            }
          });
          return item;
        }),
        shown.length > 200
          ? h('div', { class: 'state small' }, `还有 ${shown.length - 200} 人，请输入关键字缩小范围`)
          : null,
      );
    };
    search.addEventListener('input', render);
    const load = () => {
      clear(list, loading());
      loadCrmUsers()
        .then((u) => {
          users = u;
          render();
        })
        .catch((error) => clear(list, errorState(error, load)));
    };
    load();
    search.focus();
  });
}
