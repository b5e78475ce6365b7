/** Daily sync windows in Asia/Shanghai ("08:00"–"20:00"); a window may cross midnight. */
export interface DailyWindow {
  start: string;
  end: string;
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Minutes since midnight in Shanghai (UTC+8, no daylight saving). */
export const shanghaiMinutes = (ms: number): number =>
  Math.floor(((ms + 8 * 3_600_000) % 86_400_000) / 60_000);

export function inWindow(window: DailyWindow | null, ms: number): boolean {
  if (!window) return true;
  const now = shanghaiMinutes(ms);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  return start <= end ? now >= start && now < end : now >= start || now < end;
}
