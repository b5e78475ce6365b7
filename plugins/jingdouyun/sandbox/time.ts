/** Record times are whole seconds shown in Asia/Shanghai (UTC+8), whatever the host's zone (§1.3). */
const OFFSET_MS = 8 * 3600 * 1000;

const DT_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export function formatDt(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

export function formatDate(ms: number): string {
  return formatDt(ms).slice(0, 10);
}

function validYmd(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export function isDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  return m !== null && validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Parses a `dt` string to epoch ms, or null when malformed or not a real time. */
export function parseDt(value: string): number | null {
  const m = DT_RE.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s) - OFFSET_MS;
}
