import type { Response } from 'express';

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A minimal page for people arriving from the CRM (sign-in refusals, not installed). */
export function sendPage(res: Response, status: number, title: string, message: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)}</title></head>` +
        `<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${escape(title)}</h1>` +
        `<p>${escape(message)}</p></body></html>`,
    );
}
