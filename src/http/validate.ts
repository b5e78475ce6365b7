import type Joi from 'joi';
import { badRequest, type ErrorDetail } from './api-error.js';

const FIELD_LABEL_FALLBACK = '参数';

/**
 * Validates any input with its joi schema; a refusal is a 400 naming each field in Chinese.
 * Unknown keys are refused, so a typo never passes silently.
 */
export function validate<T>(schema: Joi.Schema<T>, value: unknown): T {
  // No body (or one that is not JSON) is an empty one: its required fields are then named.
  const input = value === undefined ? {} : value;
  const hostile = hostileInput(input);
  if (hostile) throw badRequest('invalid_input', `输入有误：${hostile.message}`, [hostile]);
  const { value: out, error } = schema.validate(input, {
    abortEarly: false,
    stripUnknown: false,
    convert: true,
  });
  if (error) {
    throw badRequest(
      'invalid_input',
      '输入有误：' + error.details.map((d) => describe(d)).join('；'),
      error.details.map((d) => ({ field: d.path.join('.') || FIELD_LABEL_FALLBACK, message: describe(d) })),
    );
  }
  return out as T;
}

function describe(d: Joi.ValidationErrorItem): string {
  const label = String(d.context?.label ?? (d.path.join('.') || FIELD_LABEL_FALLBACK));
  switch (d.type) {
    case 'any.required':
      return `${label} 不能为空`;
    case 'object.unknown':
      return `不支持的参数 ${label}`;
    case 'string.empty':
      return `${label} 不能为空`;
    case 'string.max':
    case 'array.max':
      return `${label} 过长（最多 ${String(d.context?.limit)}）`;
    case 'string.pattern.base':
    case 'string.pattern.name':
      return `${label} 格式不正确`;
    case 'any.only':
      return `${label} 取值不在允许范围内`;
    case 'number.base':
    case 'number.integer':
      return `${label} 必须是整数`;
    case 'number.min':
    case 'number.max':
      return `${label} 超出允许范围`;
    case 'boolean.base':
      return `${label} 必须是 true 或 false`;
    case 'string.base':
      return `${label} 必须是文本`;
    case 'array.base':
      return `${label} 必须是列表`;
    case 'object.base':
      return `${label} 必须是对象`;
    default:
      return `${label} 不合法`;
  }
}

/**
 * What joi lets through but no field may hold: an own `__proto__` key (joi drops it silently
 * instead of refusing it as unknown) and NUL characters (never text; BSON refuses them in patterns).
 * Walked without recursion, so any depth the JSON parser accepted is safe; a problem is named by
 * its top-level field.
 */
function hostileInput(value: unknown): ErrorDetail | null {
  const stack: Array<{ v: unknown; field: string }> = [{ v: value, field: FIELD_LABEL_FALLBACK }];
  const control = (field: string) => ({ field, message: `${field} 含有不允许的控制字符` });
  while (stack.length) {
    const { v, field } = stack.pop()!;
    if (typeof v === 'string' && v.includes('\u0000')) return control(field);
    if (!v || typeof v !== 'object') continue;
    if (Object.hasOwn(v, '__proto__')) return { field: '__proto__', message: '不支持的参数 __proto__' };
    for (const [k, child] of Object.entries(v)) {
      if (k.includes('\u0000')) return control(field);
      stack.push({ v: child, field: v === value ? k : field });
    }
  }
  return null;
}
