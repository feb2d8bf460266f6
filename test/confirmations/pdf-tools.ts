/**
 * Independent read-back of rendered PDFs with Debian's poppler-utils (pdftotext, pdfinfo,
 * pdffonts) and qpdf. Suites skip, saying so, only when the tools are absent (CI installs them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export const PDF_TOOLS = ['pdftotext', 'pdfinfo', 'pdffonts', 'qpdf'] as const;

export function missingPdfTools(): string[] {
  return PDF_TOOLS.filter((t) => !hasTool(t));
}

/** Writes the PDF to a temp file, runs fn with its path, cleans up. */
export function withPdfFile<T>(pdf: Buffer, fn: (file: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'confirmation-test-'));
  const file = path.join(dir, 'c.pdf');
  writeFileSync(file, pdf);
  try {
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Buffer): string {
  return withPdfFile(pdf, (f) => execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }));
}

export function pdfInfo(pdf: Buffer): Record<string, string> {
  const out = withPdfFile(pdf, (f) => execFileSync('pdfinfo', ['-isodates', f], { encoding: 'utf8' }));
  const info: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) info[m[1]!.trim()] = m[2]!.trim();
  }
  return info;
}

export function pdfFonts(pdf: Buffer): string {
  return withPdfFile(pdf, (f) => execFileSync('pdffonts', [f], { encoding: 'utf8' }));
}

/** qpdf --check: exit status 0 (and 3 = warnings only is NOT accepted) plus its output. */
export function qpdfCheck(pdf: Buffer): { status: number | null; output: string } {
  return withPdfFile(pdf, (f) => {
    const r = spawnSync('qpdf', ['--check', f], { encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  });
}

/** Text with all whitespace removed: pdftotext may break a long line or space CJK runs. */
export function squash(s: string): string {
  return s.replace(/\s+/g, '');
}

/** Decodes the QR code(s) on page 1 with pdftoppm + zbarimg (zbar-tools); one string per symbol. */
export function decodeQrOnFirstPage(pdf: Buffer): string[] {
  return withPdfFile(pdf, (f) => {
    const png = `${f}-p1`;
    execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', f, png]);
    const r = spawnSync('zbarimg', ['--raw', '-q', `${png}.png`], { encoding: 'utf8' });
    return r.stdout.split('\n').filter((l) => l.trim() !== '');
  });
}
