/**
 * Hostile binding sheets uploaded to the real plugin (POST /api/bindings/import): zip bombs that
 * inflate past 100 MB (honest and lying headers), a huge shared strings table, too many parts,
 * 5 001 rows, an oversized upload. Each is refused with its reason, fast, and the process's peak
 * memory and heap barely move: the guard (src/bindings/sheet/xlsx-guard.ts) reads the zip's
 * directory and bounded inflations before exceljs ever sees the file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { crc32, createDeflateRaw } from 'node:zlib';
import { FX_TENANTS } from '../../src/demo/story.js';
import { bindingSheet, unzip, zip, type ZipPart } from '../bindings/helpers.js';
import { assertRefusal, startWorld, type Signed, type World } from './world.js';

const MB = 1024 * 1024;
/**
 * Bounds for one refused upload, far below what an unguarded bomb costs. Time is the process's CPU
 * time (client and plugin share it), so a busy machine does not make it flaky: bombs take < 250 ms;
 * only the 5 001-row sheet is parsed by exceljs, ~0.5 s.
 */
const MAX_CPU_MS = 3000;
const MAX_PEAK_GROWTH = 64 * MB;
const MAX_HEAP_GROWTH = 32 * MB;
/** The upload's bytes pass through a few buffers on both sides before they are garbage. */
const COPIES_OF_UPLOAD = 4;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let w: World;
let admin: Signed;
let template: ZipPart[];

before(async () => {
  w = await startWorld('sec_sheets');
  await w.install(FX_TENANTS.main.corpId);
  admin = await w.signIn();
  template = unzip(await bindingSheet([['EMP001', '王建国', '13911110001', '13911110001', '王建国']]));
});
after(() => w.stop());

/** `head`, then `chunk` `times` over, then `tail`, deflated as a stream: never held inflated. */
async function deflatedRepeat(
  head: string,
  chunk: Buffer,
  times: number,
  tail: string,
): Promise<ZipPart['deflated']> {
  const stream = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  stream.on('data', (b: Buffer) => out.push(b));
  let crc = 0;
  let size = 0;
  const write = async (b: Buffer) => {
    crc = crc32(b, crc);
    size += b.length;
    if (!stream.write(b)) await once(stream, 'drain');
  };
  await write(Buffer.from(head));
  for (let i = 0; i < times; i++) await write(chunk);
  await write(Buffer.from(tail));
  stream.end();
  await once(stream, 'end');
  return { bytes: Buffer.concat(out), size, crc };
}

/** The template with parts replaced or added. */
function sheetWith(...parts: ZipPart[]): Buffer {
  const names = new Set(parts.map((p) => p.name));
  return zip([...template.filter((p) => !names.has(p.name)), ...parts]);
}

const SST = 'xl/sharedStrings.xml';
const SHEET1 = 'xl/worksheets/sheet1.xml';
/** Inflates to 120 MB. */
const bombOf = (name: string, head: string, unit: string, tail: string) => {
  const chunk = Buffer.from(unit.repeat(Math.ceil(MB / unit.length)));
  return deflatedRepeat(head, chunk, Math.ceil((120 * MB) / chunk.length), tail).then((deflated) => ({
    name,
    data: Buffer.alloc(0),
    deflated,
  }));
};

function upload(form: FormData) {
  return w.api('/api/bindings/import?mode=check', {
    method: 'POST',
    cookie: admin.cookie,
    headers: { 'x-csrf-token': admin.csrf },
    body: form,
  });
}

interface Measured {
  ms: number;
  cpuMs: number;
  peakGrowth: number;
  heapGrowth: number;
}

/**
 * Uploads and measures: wall time, the growth of the process's peak RSS, heap + buffers after (the
 * test's client shares the process, so its copies of the upload count too).
 */
async function measuredUpload(file: Buffer, status: number, codes: readonly string[]): Promise<Measured> {
  const form = new FormData();
  form.append('file', new Blob([file]), '员工绑定.xlsx');
  gc();
  const m0 = process.memoryUsage();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const a = await upload(form);
  const ms = performance.now() - started;
  const spent = process.cpuUsage(cpu);
  const m1 = process.memoryUsage();
  const peak = process.resourceUsage().maxRSS * 1024;
  assert.equal(a.status, status, a.text.slice(0, 300));
  assertRefusal(a, 'sheet');
  const code = (a.json as { error: { code: string } }).error.code;
  assert.ok(codes.includes(code), `refused as ${code}, expected one of ${codes.join(', ')}`);
  return {
    ms,
    cpuMs: (spent.user + spent.system) / 1000,
    peakGrowth: Math.max(0, peak - m0.rss),
    heapGrowth: m1.heapUsed + m1.arrayBuffers - (m0.heapUsed + m0.arrayBuffers),
  };
}

const figures: string[] = [];

async function refusedCheaply(what: string, file: Buffer, status: number, ...codes: string[]) {
  const m = await measuredUpload(file, status, codes);
  figures.push(
    `${what}: ${(file.length / 1024).toFixed(0)} KB upload, ${m.ms.toFixed(0)} ms (CPU ${m.cpuMs.toFixed(0)} ms), peak RSS +${(m.peakGrowth / MB).toFixed(1)} MB, heap +${(m.heapGrowth / MB).toFixed(1)} MB`,
  );
  assert.ok(m.cpuMs < MAX_CPU_MS, `${what}: ${m.cpuMs} ms of CPU`);
  assert.ok(m.peakGrowth < MAX_PEAK_GROWTH, `${what}: peak RSS grew ${m.peakGrowth / MB} MB`);
  const heapBound = MAX_HEAP_GROWTH + COPIES_OF_UPLOAD * file.length;
  assert.ok(m.heapGrowth < heapBound, `${what}: heap grew ${m.heapGrowth / MB} MB`);
}

test('zip bombs of 120 MB in a tiny xlsx: refused from the zip directory or at the declared size', async () => {
  const sst = await bombOf(SST, '<sst>', '<si><t>a</t></si>', '</sst>');
  const honest = sheetWith(sst);
  assert.ok(honest.length < 1 * MB, `the bomb is a ${honest.length}-byte upload`);
  await refusedCheaply('shared strings bomb, honest sizes', honest, 400, 'too_big_uncompressed', 'zip_bomb');
  // The same bytes under a header claiming 1 000 bytes: inflation stops at the claim.
  await refusedCheaply(
    'shared strings bomb, lying sizes',
    sheetWith({ ...sst, declaredSize: 1000 }),
    400,
    'zip_bomb',
  );
  const rows = await bombOf(SHEET1, '<worksheet><sheetData>', '<row r="1"/>', '</sheetData></worksheet>');
  await refusedCheaply(
    'worksheet bomb, lying sizes',
    sheetWith({ ...rows, declaredSize: 5000 }),
    400,
    'zip_bomb',
  );
  // Six parts of 19 MB each: every part under the per-part limit, 114 MB together.
  const part = await deflatedRepeat('', Buffer.alloc(MB, 0x20), 19, '');
  const spread = Array.from({ length: 6 }, (_, i) => ({
    name: `xl/media/image${i}.bin`,
    data: Buffer.alloc(0),
    deflated: part,
  }));
  await refusedCheaply('six 19 MB parts', sheetWith(...spread), 400, 'too_big_uncompressed', 'zip_bomb');
});

test('a huge shared strings table and a zip of many parts are refused cheaply', async () => {
  const strings = Array.from({ length: 200_000 }, (_, i) => `<si><t>${i.toString(36)}</t></si>`).join('');
  const sst = { name: SST, data: Buffer.from(`<sst count="200000">${strings}</sst>`) };
  await refusedCheaply('200 000 shared strings', sheetWith(sst), 400, 'too_big_uncompressed');
  const parts = Array.from({ length: 600 }, (_, i) => ({
    name: `xl/media/p${i}.xml`,
    data: Buffer.from('<a/>'),
  }));
  await refusedCheaply('600 zip parts', sheetWith(...parts), 400, 'zip_bomb');
});

test('5 001 data rows and an upload over 5 MB are refused', async () => {
  const rows = Array.from({ length: 5001 }, (_, i) => [
    `E${i}`,
    `员工${i}`,
    '',
    `139${String(i).padStart(8, '0')}`,
    '',
  ]);
  const big = await bindingSheet(rows);
  await refusedCheaply('5 001 rows', big, 400, 'too_many_rows');
  // Incompressible bytes: a 6 MB upload is refused while it streams in, before any parsing.
  const noise = randomBytes(6 * MB);
  await refusedCheaply('6 MB upload', noise, 413, 'file_too_large', 'too_large');
});

after(() => console.log(figures.join('\n')));
