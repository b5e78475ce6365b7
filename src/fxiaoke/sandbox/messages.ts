/** Text messages to employees (§10, `/cgi/message/send`). */
import { randomUUID } from 'node:crypto';
import { fail, isObject, type Json } from './errors.js';
import type { SandboxState, Tenant } from './state.js';

export function sendMessage(st: SandboxState, tenant: Tenant, body: Json): Json {
  const to = body.toUser;
  const ok =
    Array.isArray(to) &&
    to.length >= 1 &&
    to.length <= 100 &&
    new Set(to).size === to.length &&
    to.every((id) => typeof id === 'string' && tenant.users.get(id)?.isStop === false);
  if (!ok) return fail(30027, '接收人不存在或已停用');
  if (body.msgType !== 'text') return fail(10006, 'the parameter msgType is missing or illegal');
  const content = isObject(body.text) ? body.text.content : undefined;
  if (typeof content !== 'string' || content.length < 1 || content.length > 2000) {
    return fail(10006, 'the parameter text.content is missing or illegal');
  }
  const msgId = randomUUID();
  tenant.messages.push({ msgId, at: st.now(), toUser: [...(to as string[])], content });
  return { msgId };
}
