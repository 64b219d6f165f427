/**
 * `nianbao preview` without a browser: the server is started in process and read as a browser would
 * (fetch, the server-sent event stream read by hand, raw HTTP for what fetch will not send). Edits on
 * disk reach the page; a YAML syntax error shows at its line; the routes are fixed and the Host must be
 * a loopback name; Ctrl+C stops the command cleanly. The same with Chromium: test/clients/.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type PreviewServer } from '../../src/preview/server.js';
import { parseHtml } from '../helpers/html-grid.js';
import { eventStream } from '../../bench/lib/event-stream.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples/reports/2021-渠沟镇人民政府.yaml');
const RECEIVED = 'received: [0, 0, 0, 0, 0, 0, 0]';

/** A raw GET: any path as written, any Host header (fetch normalises paths and sets Host itself). */
function raw(port: number, rawPath: string, host = `127.0.0.1:${port}`, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The preview's event stream (bench/lib/event-stream.ts), served as one. */
async function events(url: string) {
  const stream = await eventStream(url);
  expect(stream.contentType).toContain('text/event-stream');
  return stream;
}

describe('preview of one report', () => {
  let dir: string;
  let file: string;
  let server: PreviewServer;
  const get = async (p: string) => {
    const res = await fetch(new URL(p, server.url));
    return { res, text: await res.text() };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nianbao-preview-'));
    file = path.join(dir, '渠沟镇.yaml');
    cpSync(EXAMPLE, file);
    server = await startPreview({ target: file, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('listens on 127.0.0.1 only and shows the report as a draft, self-contained', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const { res, text } = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const dom = parseHtml(text);
    expect(dom.querySelector('.draft-banner')?.textContent).toContain('草稿');
    expect(dom.querySelector('h1.title')?.textContent).toContain('渠沟镇人民政府');
    expect(dom.querySelector('.draft-problems')?.textContent).toContain('校验未发现问题');
    // the only script is the preview's own; no external URL anywhere
    expect([...dom.querySelectorAll('script')].map((s) => s.getAttribute('src'))).toEqual(['/preview.js']);
    expect(text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const links = [...dom.querySelectorAll('.preview-bar a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(expect.arrayContaining(['/report/0/pdf', '/report/0/docx']));
  });

  // how soon is measured by `npm run bench` (bench/lib/preview.ts), not here: a loaded CI machine can only say that it comes
  it('an edit on disk is announced and the page shows the new figure and its problem', async () => {
    const stream = await events(new URL('/events', server.url).href);
    try {
      const hello = await stream.next('hello');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(RECEIVED);
      const line = text.split('\n').findIndex((l) => l.includes(RECEIVED)) + 1;
      writeFileSync(file, text.replace(RECEIVED, 'received: [4321, 0, 0, 0, 0, 0, 0]'));
      const change = await stream.next('change');
      expect(Number(change.data)).toBeGreaterThan(Number(hello.data));
      const dom = parseHtml((await get('/')).text);
      expect([...dom.querySelectorAll('td')].some((td) => td.textContent === '4321')).toBe(true);
      // T3-ROW: the row's 总计 no longer matches; that cell is highlighted and described by the problem
      const problem = [...dom.querySelectorAll('.draft-problems li')].find((li) => li.getAttribute('data-rule') === 'T3-ROW')!;
      expect(problem.textContent).toContain('4321');
      const cell = dom.querySelector(`td[aria-describedby~="${problem.id}"]`)!;
      expect(cell.classList.contains('draft-problem')).toBe(true);
      // the problem links to the cell and to the YAML in the editor, at its line
      expect(problem.querySelector('a.cell')?.getAttribute('href')).toBe(`#${cell.id}`);
      const editor = problem.querySelector('a.editor')!.getAttribute('href')!;
      expect(editor.startsWith(`vscode://file/${encodeURI(file)}:${line}:`)).toBe(true);
    } finally {
      stream.close();
    }
  });

  it('a YAML syntax error shows its message at its line, not a blank page; the fix brings the report back', async () => {
    const good = readFileSync(file, 'utf8');
    const stream = await events(new URL('/events', server.url).href);
    try {
      await stream.next('hello');
      const lines = good.split('\n');
      const at = lines.findIndex((l) => l.startsWith('year:'));
      lines[at] = 'year: [2021';
      writeFileSync(file, lines.join('\n'));
      await stream.next('change');
      const dom = parseHtml((await get('/')).text);
      const problem = dom.querySelector('.problem')!;
      expect(problem.getAttribute('data-rule')).toBe('YAML-SYNTAX');
      const where = problem.querySelector('.where a')!;
      const [, lineText] = /:(\d+):\d+$/.exec(where.textContent!)!;
      expect(where.getAttribute('href')).toMatch(new RegExp(`^vscode://file/.+:${lineText}:\\d+$`));
      // the line is highlighted, and within it the span the problem is about
      const hit = problem.querySelector(`#line-${lineText}`)!;
      expect(hit.textContent).toContain(lines[Number(lineText) - 1].trim());
      const marked = hit.querySelector('mark')!;
      expect(marked.textContent!.length).toBeGreaterThan(0);
      expect(lines[Number(lineText) - 1]).toContain(marked.textContent!);
      expect(problem.querySelector('.hint')?.textContent).toMatch(/^提示：.+/);
      writeFileSync(file, good);
      await stream.next('change');
      expect(parseHtml((await get('/')).text).querySelector('h1.title')?.textContent).toContain('渠沟镇人民政府');
    } finally {
      stream.close();
    }
  });

  it('offers the PDF and docx of the current state, as drafts', async () => {
    const pdf = await fetch(new URL('/report/0/pdf', server.url));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(decodeURIComponent(pdf.headers.get('content-disposition')!)).toContain('（草稿）.pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const docx = await fetch(new URL('/report/0/docx', server.url));
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });

  it('no path from the URL reaches the file system', async () => {
    for (const p of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/report/0/..%2f..%2f..%2fetc%2fpasswd', '/report/../../etc/passwd', '/report/1', encodeURI('/渠沟镇.yaml'), `/${encodeURIComponent(file)}`, '//etc/passwd']) {
      const res = await raw(server.port, p);
      expect(res.status, p).toBe(404);
      expect(res.body, p).not.toContain('root:');
      expect(res.body, p).not.toContain('received');
    }
    expect((await raw(server.port, '/', `127.0.0.1:${server.port}`, 'POST')).status).toBe(405);
  });

  it('refuses a foreign Host (DNS rebinding) and accepts the loopback names', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1.evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`, '127.0.0.1']) {
      const res = await raw(server.port, '/', host);
      expect(res.status, host).toBe(403);
      expect(res.body).not.toContain('渠沟镇');
    }
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`]) {
      expect((await raw(server.port, '/', host)).status, host).toBe(200);
    }
  });
});

describe('preview of a workspace', () => {
  let ws: string;
  let server: PreviewServer;
  beforeAll(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'nianbao-preview-ws-'));
    cpSync(path.join(ROOT, 'examples/workspace'), ws, { recursive: true, filter: (src) => !src.includes(`${path.sep}out`) });
    server = await startPreview({ target: ws, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists every report with its status; a template edit reaches the report page', async () => {
    const index = parseHtml(await (await fetch(server.url)).text());
    const rows = [...index.querySelectorAll('table.reports tbody tr')];
    expect(rows.map((r) => r.querySelectorAll('td')[2].textContent)).toEqual(['reports/2020/红椿镇.yaml', 'reports/2020/青石镇.yaml', 'reports/2021/红椿镇.yaml', 'reports/2021/青石镇.yaml']);
    for (const r of rows) expect(r.querySelectorAll('td')[3].textContent).toMatch(/^通过/);
    const href = rows[2].querySelector('a')!.getAttribute('href')!;
    expect(href).toBe('/report/2');
    expect(await (await fetch(new URL(href, server.url))).text()).toContain('“政府信息公开”专栏查阅和下载');

    const stream = await events(new URL('/events', server.url).href);
    try {
      await stream.next('hello');
      const template = path.join(ws, 'templates/preface.hbs');
      writeFileSync(template, readFileSync(template, 'utf8').replace('专栏查阅和下载', '专栏查阅和下载（模板已修改）'));
      await stream.next('change');
      expect(await (await fetch(new URL(href, server.url))).text()).toContain('专栏查阅和下载（模板已修改）');
      // a report that stops passing is shown so in the index
      const report = path.join(ws, 'reports/2021/青石镇.yaml');
      writeFileSync(report, readFileSync(report, 'utf8').replace(/received: \[[^\]]*\]/, 'received: [9, 9, 9, 9, 9, 9, 9]'));
      await stream.next('change');
      const after = parseHtml(await (await fetch(server.url)).text());
      expect(after.querySelectorAll('table.reports tbody tr')[3].querySelectorAll('td')[3].textContent).toMatch(/\d+ 个错误/);
    } finally {
      stream.close();
    }
  });
});

describe('nianbao preview, the command', () => {
  it('prints its URL, serves, and stops cleanly on Ctrl+C (SIGINT), exit 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-preview-cli-'));
    const file = path.join(dir, 'r.yaml');
    cpSync(EXAMPLE, file);
    const tsx = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/esm/index.mjs')).href;
    const mainUrl = pathToFileURL(path.join(ROOT, 'src/cli/main.ts')).href;
    const child = spawn(
      process.execPath,
      ['--import', tsx, '-e', `import(${JSON.stringify(mainUrl)}).then(m => m.main(process.argv.slice(1))).then(c => { process.exitCode = c; })`, 'preview', file, '--port', '0'],
      { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!/预览地址：(http:\/\/127\.0\.0\.1:\d+\/)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const url = /预览地址：(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
    expect(url, err).toBeDefined();
    expect((await fetch(url!)).status).toBe(200);
    // an open event stream must not keep the server from stopping
    const stream = await events(new URL('/events', url).href);
    await stream.next('hello');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    stream.close();
    expect(out).toContain('预览已停止');
    expect(err).toBe('');
    await expect(fetch(url!)).rejects.toThrow();
  });
});
