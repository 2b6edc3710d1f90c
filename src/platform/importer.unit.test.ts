import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import {
  ImportFileError, awaitImportRun, decodeCsv, detectFormat, errorReportXlsx, getImportRun, openTable, parseCsv, startImportRun, writeXlsx,
  type HeaderSpec, type ParsedRow,
} from './importer.js';

const spec: HeaderSpec = {
  headers: { name: '姓名', mobile: ['手机号码', '手机号'], joined: '入党日期', note: '备注' },
  required: ['name', 'mobile', 'joined'],
};

async function read(buffer: Buffer, filename: string, s: HeaderSpec = spec) {
  const t = await openTable({ buffer, filename }, s);
  const out: ParsedRow[] = [];
  for await (const r of t.rows) out.push(r);
  return { table: t, rows: out };
}
const csv = (text: string) => Buffer.from(text, 'utf8');

/** GB18030 encoder for BMP text, built by decoding every two-byte code (Node ships only the decoder). */
function gb18030(text: string): Buffer {
  const dec = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let a = 0x81; a <= 0xfe; a += 1) {
    for (let b = 0x40; b <= 0xfe; b += 1) {
      if (b === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([a, b]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [a, b]);
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0));
    else bytes.push(...table.get(ch)!);
  }
  return Buffer.from(bytes);
}

describe('header mapping', () => {
  it('takes columns in any order and ignores extra ones', async () => {
    const { table, rows } = await read(csv('备注,额外列,入党日期,手机号码,姓名\n好,x,2020-07-01,13812345678,张三\n'), 'a.csv');
    expect(table.columns).toEqual(['备注', '额外列', '入党日期', '手机号码', '姓名']);
    expect(rows).toHaveLength(1);
    expect(rows[0].rowNumber).toBe(2);
    expect(rows[0].values).toEqual({ note: '好', joined: '2020-07-01', mobile: '13812345678', name: '张三' });
    expect(rows[0].cells).toEqual(['好', 'x', '2020-07-01', '13812345678', '张三']);
  });

  it('accepts aliases, surrounding spaces, full-width characters and required marks', async () => {
    const { rows } = await read(csv(' 姓　名 ,＊手机号,入党日期（必填）\n张三,13812345678,2020-07-01\n'), 'a.csv');
    expect(rows[0].values).toMatchObject({ name: '张三', mobile: '13812345678', joined: '2020-07-01' });
  });

  it('names every missing required column in Chinese', async () => {
    const err = await read(csv('姓名,备注\n张三,x\n'), 'a.csv').catch((e) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect(err.message).toContain('缺少必填列');
    expect(err.message).toContain('手机号码');
    expect(err.message).toContain('入党日期');
    expect(err.row).toBe(1);
  });

  it('refuses a column given twice', async () => {
    const err = await read(csv('姓名,手机号码,手机号,入党日期\n'), 'a.csv').catch((e) => e);
    expect(err.message).toContain('“手机号码”列出现了不止一次');
  });

  it('finds the header below a title line and keeps spreadsheet row numbers', async () => {
    const { table, rows } = await read(csv('某某支部党员花名册,,\n姓名,手机号码,入党日期\n张三,13812345678,2020-07-01\n'), 'a.csv');
    expect(table.headerRow).toBe(2);
    expect(rows[0].rowNumber).toBe(3);
  });
});

describe('csv', () => {
  it('strips a UTF-8 BOM', async () => {
    const { rows } = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv('姓名,手机号码,入党日期\n张三,13812345678,2020-07-01\n')]), 'a.csv');
    expect(rows[0].values.name).toBe('张三');
  });

  it('falls back to GB18030 when the bytes are not UTF-8', async () => {
    expect([...gb18030('姓名')]).toEqual([0xd0, 0xd5, 0xc3, 0xfb]);
    expect(new TextDecoder('gb18030').decode(new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb]))).toBe('姓名');
    const bytes = gb18030('姓名,手机号码,入党日期\r\n王小红,13812345678,2020年7月1日\r\n');
    expect(decodeCsv(bytes)).toContain('王小红');
    const { rows } = await read(bytes, 'roster.csv');
    expect(rows[0].values).toEqual({ name: '王小红', mobile: '13812345678', joined: '2020年7月1日' });
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b,c","say ""hi""","two\nlines"\r\nx,,"",y\n')).toEqual([
      ['a', 'b,c', 'say "hi"', 'two\nlines'],
      ['x', '', '', 'y'],
    ]);
  });

  it('reads tab-separated text too', () => {
    expect(parseCsv('姓名\t手机号码\n张三\t138\n')).toEqual([['姓名', '手机号码'], ['张三', '138']]);
  });

  it('skips fully empty rows but keeps the numbering', async () => {
    const { rows } = await read(csv('姓名,手机号码,入党日期\n,,\n张三,13812345678,2020-07-01\n  ,\t,\n\n李四,13912345678,2021-07-01\n'), 'a.csv');
    expect(rows.map((r) => [r.rowNumber, r.values.name])).toEqual([[3, '张三'], [6, '李四']]);
  });
});

describe('xlsx', () => {
  async function workbook(build: (wb: ExcelJS.Workbook) => void) {
    const wb = new ExcelJS.Workbook();
    build(wb);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('normalizes dates, serials, rich text, formulas and hyperlinks', async () => {
    const buf = await workbook((wb) => {
      const ws = wb.addWorksheet('党员');
      ws.addRow(['姓名', '手机号码', '入党日期', '备注']);
      ws.addRow([{ richText: [{ text: '张' }, { text: '三', font: { bold: true } }] }, 13812345678, new Date(Date.UTC(2020, 6, 1)), { formula: '1+1', result: 2 }]);
      ws.getCell('C2').numFmt = 'yyyy-mm-dd';
      ws.addRow([]);
      ws.addRow(['  李四 ', { text: '13912345678', hyperlink: 'tel:13912345678' }, 44013, { formula: 'A4', result: '李四' }]);
    });
    const { table, rows } = await read(buf, '名册.xlsx');
    expect(table.format).toBe('xlsx');
    expect(rows).toHaveLength(2);
    expect(rows[0].values.name).toBe('张三');
    expect(rows[0].values.mobile).toBe(13812345678);
    expect(rows[0].values.joined).toBeInstanceOf(Date);
    expect((rows[0].values.joined as Date).toISOString().slice(0, 10)).toBe('2020-07-01');
    expect(rows[0].values.note).toBe(2);
    expect(rows[1]).toMatchObject({ rowNumber: 4, values: { name: '李四', mobile: '13912345678', joined: 44013, note: '李四' } });
  });

  it('keeps Chinese text intact where it crosses the chunk boundaries of the reader', async () => {
    // ExcelJS's streaming reader used to turn a character split between two chunks into U+FFFD.
    const names = Array.from({ length: 3000 }, (_, i) => `党员${'张王李赵刘陈杨黄'[i % 8]}${i}号·幸福社区`);
    const inline = await writeXlsx([{ name: '党员', columns: [{ header: '姓名' }, { header: '手机号码' }, { header: '入党日期' }], rows: names.map((n) => [n, '13812345678', '2020年7月1日']) }]);
    const shared = await workbook((wb) => {
      const ws = wb.addWorksheet('党员');
      ws.addRow(['姓名', '手机号码', '入党日期']);
      for (const n of names) ws.addRow([n, '13812345678', '2020年7月1日']);
    });
    for (const buf of [inline, shared]) {
      const { rows } = await read(buf, 'big.xlsx');
      expect(rows.map((r) => r.values.name)).toEqual(names);
      expect(rows.every((r) => r.values.joined === '2020年7月1日')).toBe(true);
    }
  });

  it('uses the first worksheet that has the headers', async () => {
    const buf = await workbook((wb) => {
      wb.addWorksheet('封面').addRow(['2026 年党员花名册']);
      const ws = wb.addWorksheet('名单');
      ws.addRow(['入党日期', '姓名', '手机号码']);
      ws.addRow(['2020-07-01', '张三', '13812345678']);
    });
    const { rows } = await read(buf, 'a.xlsx');
    expect(rows[0].values).toEqual({ joined: '2020-07-01', name: '张三', mobile: '13812345678' });
  });

  it('reports missing headers of an xlsx file', async () => {
    const buf = await workbook((wb) => wb.addWorksheet('x').addRow(['姓名', '性别']));
    await expect(read(buf, 'a.xlsx')).rejects.toThrow(/缺少必填列：手机号码、入党日期/);
  });
});

describe('file type by content', () => {
  it('recognizes xlsx by its zip magic, whatever the name', () => {
    expect(detectFormat(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0]), 'upload.bin')).toBe('xlsx');
    expect(detectFormat(csv('姓名\n'), 'a.csv')).toBe('csv');
  });
  it('refuses .xls, fake .xlsx, binaries and empty files in Chinese', () => {
    expect(() => detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1]), 'a.xls')).toThrow(/旧版 Excel/);
    expect(() => detectFormat(csv('姓名,手机号码'), 'a.xlsx')).toThrow(/不是有效的 Excel/);
    expect(() => detectFormat(Buffer.from([0x25, 0x50, 0x44, 0x46, 0]), 'a.pdf')).toThrow(/不支持的文件类型/);
    expect(() => detectFormat(Buffer.alloc(0), 'a.csv')).toThrow(/空的/);
  });
  it('reports a broken zip as a file error, not a crash', async () => {
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    await expect(read(broken, 'a.xlsx')).rejects.toBeInstanceOf(ImportFileError);
  });
});

describe('xlsx writing and the error report', () => {
  it('writes a bold frozen header and real date cells', async () => {
    const buf = await writeXlsx([{ name: '党员名单', columns: [{ header: '姓名' }, { header: '入党日期' }], rows: [['张三', new Date(Date.UTC(2020, 6, 1))]] }]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as never);
    const ws = wb.getWorksheet('党员名单')!;
    expect(ws.getRow(1).getCell(1).value).toBe('姓名');
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((ws.getRow(2).getCell(2).value as Date).toISOString().slice(0, 10)).toBe('2020-07-01');
  });

  it('has the original columns plus 错误原因, one line per bad row', async () => {
    const buf = await errorReportXlsx(
      { columns: ['姓名', '手机号码'], rows: [{ rowNumber: 3, cells: ['张三', '123'] }, { rowNumber: 5, cells: ['李四', null] }] },
      [
        { row: 3, column: '手机号码', reason: '手机号码应为11位数字，实际为3位' },
        { row: 5, column: '手机号码', reason: '手机号码不能为空' },
        { row: 3, column: '入党日期', reason: '日期“2020-13-01”不存在' },
      ],
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, '姓名', '手机号码', '行号', '错误原因']);
    expect(ws.rowCount).toBe(3);
    expect(ws.getRow(2).values).toEqual([undefined, '张三', '123', 3, '手机号码应为11位数字，实际为3位；入党日期：日期“2020-13-01”不存在']);
    expect(ws.getRow(3).getCell(1).value).toBe('李四');
  });
});

describe('progress registry', () => {
  it('runs in the background, reports progress and is visible only to its owner', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const run = startImportRun({ kind: 'test', tenantId: 1, userId: 7, filename: 'a.csv', nowIso: new Date().toISOString() }, async (onProgress) => {
      onProgress({ status: 'validating', done: 5, total: 10 });
      await gate;
      onProgress({ status: 'writing', done: 10, total: 10 });
      return { imported: 10, errors: [] };
    });
    expect(run.status).toBe('parsing');
    await new Promise((r) => setTimeout(r, 5));
    expect(getImportRun(run.id, 7)).toMatchObject({ status: 'validating', done: 5, total: 10 });
    expect(getImportRun(run.id, 8)).toBeUndefined();
    release();
    const done = await awaitImportRun(run.id);
    expect(done).toMatchObject({ status: 'done', done: 10, total: 10, imported: 10 });
  });

  it('marks a run failed when the task throws', async () => {
    const run = startImportRun({ kind: 'test', tenantId: 1, userId: 7, filename: 'a.csv', nowIso: new Date().toISOString() }, async () => {
      throw new Error('boom');
    });
    const done = await awaitImportRun(run.id);
    expect(done?.status).toBe('failed');
    expect(done?.message).toContain('未保存任何数据');
  });
});
