import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError } from '../../../platform/errors.js';

/**
 * Word → PDF through LibreOffice headless (`soffice --headless --convert-to pdf`). Each conversion runs in
 * a temporary directory with its own LibreOffice profile (`-env:UserInstallation`), so conversions in
 * other processes do not clash, and conversions in this process run one at a time (a conversion takes
 * 1.4–2 s and most of a core; STACK.md). Fonts: FONTCONFIG_FILE points at assets/fontconfig/zhibu-fonts.conf,
 * which includes the system configuration and maps the official fonts to Noto CJK.
 */

export const INSTALL_HINT = '服务器未安装 LibreOffice，无法生成 PDF。请由管理员执行 apt-get install libreoffice-writer-nogui fonts-noto-cjk 安装后重试；也可以下载 Word 文档或使用打印视图。';
const TIMEOUT_MS = 120_000;

export const FONTCONFIG_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../assets/fontconfig/zhibu-fonts.conf');

let onPath: string | null | undefined;
/** The soffice executable: ZHIBU_SOFFICE when set (null when that file is absent), else `soffice` or `libreoffice` on PATH. */
export function findSoffice(): string | null {
  const env = process.env.ZHIBU_SOFFICE;
  if (env) return existsSync(env) ? env : null;
  if (onPath !== undefined) return onPath;
  onPath = null;
  for (const name of ['soffice', 'libreoffice']) {
    try {
      const p = execFileSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (p) return (onPath = p);
    } catch {
      /* not on PATH */
    }
  }
  return onPath;
}

export function libreOfficeAvailable(): boolean {
  return findSoffice() !== null;
}

let queue: Promise<unknown> = Promise.resolve();
/** Run `task` after every conversion queued before it (one LibreOffice at a time in this process). */
function enqueue<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task, task);
  queue = next.catch(() => undefined);
  return next;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((ok, fail) => {
    execFile(cmd, args, { env, timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (err) fail(new Error(`soffice: ${err.message}${stderr ? `: ${String(stderr).slice(0, 500)}` : ''}`));
      else ok();
    });
  });
}

export async function convertDocxToPdf(docx: Buffer): Promise<Buffer> {
  const soffice = findSoffice();
  if (!soffice) throw new AppError('unavailable', INSTALL_HINT, { reason: 'libreofficeMissing' });
  return enqueue(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zhibu-pdf-'));
    try {
      const input = join(dir, 'report.docx');
      await writeFile(input, docx);
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
      if (existsSync(FONTCONFIG_FILE)) env.FONTCONFIG_FILE = FONTCONFIG_FILE;
      await run(soffice, [
        `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
        '--headless', '--norestore', '--nologo', '--nodefault', '--nolockcheck',
        '--convert-to', 'pdf:writer_pdf_Export', '--outdir', dir, input,
      ], env);
      const out = join(dir, 'report.pdf');
      if (!existsSync(out)) throw new AppError('internal', 'PDF 生成失败：LibreOffice 未输出文件，请稍后重试或下载 Word 文档。');
      return await readFile(out);
    } catch (e) {
      if (e instanceof AppError) throw e;
      // the cause (soffice's message) stays on the server side: AppError details are sent to the client
      throw Object.assign(new AppError('internal', 'PDF 生成失败：LibreOffice 转换出错或超时，请稍后重试或下载 Word 文档。'), { cause: e });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
