/**
 * `nianbao preview`: a local web server showing a report as its draft HTML (problems highlighted and
 * listed), or a workspace's index of reports, updated live as the files change.
 *
 * Safe by construction: it listens on 127.0.0.1 only; the URL never reaches the file system (a fixed
 * set of routes; a report is named by its number in the workspace's list, never by a path); a request
 * whose Host is not a loopback name is refused (a DNS-rebinding page cannot read it); every page is
 * self-contained and its Content-Security-Policy allows nothing from elsewhere.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { composeReport, outputName, renderFormat, renderOptionsFor, type OutputFormat } from '../build.js';
import { UserError } from '../diagnostics/errors.js';
import { decodeReport } from '../load/decode.js';
import { forgetTemplates, TemplateError } from '../model/compose/templates.js';
import { renderHtml } from '../render/html/index.js';
import { checkFile } from '../validate/index.js';
import { CONFIG_FILE, findWorkspaceRoot, loadWorkspaceConfig, type WorkspaceConfig } from '../workspace/config/config.js';
import { discoverReports, toPosix } from '../workspace/config/discover.js';
import { CLIENT_SCRIPT, CLIENT_SCRIPT_ROUTE, errorPage, indexPage, notFoundPage, problemPage, withPreviewBar, type IndexEntry } from './pages.js';
import { FolderWatcher, type WatchedFolder } from './watch.js';

export interface PreviewOptions {
  /** A report file, or a workspace folder (holding nianbao.yaml). */
  readonly target: string;
  /** The port; 0 or none: a free one. */
  readonly port?: number;
  /** County template folders, searched before the workspace's and the default ones. */
  readonly templateDirs?: readonly string[];
}

export interface PreviewServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly port: number;
  /** Stops watching, ends every open page's event stream and closes the server. */
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Loopback name and this server's port: what a browser sends for http://127.0.0.1:PORT/ or localhost. */
export function loopbackHost(host: string | undefined, port: number): boolean {
  const m = host ? /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host) : null;
  if (!m || !LOOPBACK_NAMES.has(m[1].toLowerCase())) return false;
  return m[2] === undefined ? port === 80 : Number(m[2]) === port;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;

const CONTENT_TYPE: Record<Exclude<OutputFormat, 'html'>, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

type Target = { readonly kind: 'file'; readonly file: string; readonly shown: string } | { readonly kind: 'workspace'; readonly root: string };

function resolveTarget(target: string): Target {
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    throw new UserError(`找不到要预览的文件或文件夹：${target}`, 2);
  }
  if (!isDir) return { kind: 'file', file: path.resolve(target), shown: target };
  if (!existsSync(path.join(target, CONFIG_FILE))) {
    throw new UserError(`文件夹 ${target} 不是工作区（其中没有 ${CONFIG_FILE}）：请预览一份报告文件，或含 ${CONFIG_FILE} 的工作区文件夹`, 2);
  }
  return { kind: 'workspace', root: path.resolve(target) };
}

const REPORT_ROUTE = /^\/report\/(\d{1,6})(?:\/(pdf|docx))?$/;

export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  const target = resolveTarget(options.target);
  const templateDirs = (options.templateDirs ?? []).map((d) => path.resolve(d));
  let version = 1;
  let port = 0;
  const streams = new Set<ServerResponse>();

  /** The workspace the target belongs to (re-read on every change: nianbao.yaml may have changed). */
  let configCache: { version: number; config: WorkspaceConfig | undefined } | undefined;
  const workspaceConfig = (): WorkspaceConfig | undefined => {
    if (configCache?.version !== version) {
      const root = target.kind === 'workspace' ? target.root : findWorkspaceRoot(target.file);
      configCache = { version, config: root === undefined ? undefined : loadWorkspaceConfig(root) };
    }
    return configCache.config;
  };
  const reportFiles = (): string[] => (target.kind === 'file' ? [target.file] : discoverReports(workspaceConfig()!));
  const shownName = (file: string, config: WorkspaceConfig | undefined) =>
    target.kind === 'file' ? target.shown : config ? toPosix(path.relative(config.root, file)) : file;

  const watcher = new FolderWatcher(() => {
    version++;
    forgetTemplates();
    refreshWatch();
    for (const res of streams) res.write(`event: change\ndata: ${version}\n\n`);
  });
  function refreshWatch(): void {
    const folders: WatchedFolder[] = templateDirs.map((dir) => ({ dir, recursive: true }));
    if (target.kind === 'file') folders.push({ dir: path.dirname(target.file), recursive: false });
    const root = target.kind === 'workspace' ? target.root : findWorkspaceRoot(target.file);
    if (root !== undefined) {
      folders.push({ dir: root, recursive: false });
      let config: WorkspaceConfig | undefined;
      try {
        config = workspaceConfig();
      } catch {
        // nianbao.yaml is broken: its folder is watched, the fix will be seen
      }
      if (config?.templates) folders.push({ dir: config.templates, recursive: true });
      if (target.kind === 'workspace') for (const dir of config?.reports ?? [path.join(root, 'reports')]) folders.push({ dir, recursive: true });
    }
    watcher.set(folders);
  }
  refreshWatch();

  const links = (n: number) => ({ ...(target.kind === 'workspace' ? { index: '/' } : {}), pdf: `/report/${n}/pdf`, docx: `/report/${n}/docx` });

  async function reportPage(n: number): Promise<string | undefined> {
    let config: WorkspaceConfig | undefined;
    try {
      config = workspaceConfig();
    } catch (error) {
      if (error instanceof UserError) return errorPage(`${CONFIG_FILE} 有错误`, error.message, links(n));
      throw error;
    }
    const file = reportFiles()[n];
    if (file === undefined) return undefined;
    const shown = shownName(file, config);
    try {
      const composed = await composeReport(file, { draft: true, editorFile: file, templateDirs, ...(config ? { workspace: config } : {}) });
      if (!composed.doc) {
        let text: string | undefined;
        try {
          const decoded = decodeReport(readFileSync(file));
          text = decoded.ok ? decoded.text : undefined;
        } catch {
          text = undefined;
        }
        return problemPage(shown, file, composed.diagnostics.map((d) => ({ ...d, file: shown })), text, links(n));
      }
      return withPreviewBar(renderHtml(composed.doc), { ...links(n), problems: composed.diagnostics.length });
    } catch (error) {
      if (error instanceof TemplateError || error instanceof UserError) return errorPage('模板错误，未生成预览', error.message, links(n));
      throw error;
    }
  }

  async function download(n: number, format: Exclude<OutputFormat, 'html'>): Promise<{ name: string; bytes: Uint8Array } | string | undefined> {
    const config = workspaceConfig();
    const file = reportFiles()[n];
    if (file === undefined) return undefined;
    const composed = await composeReport(file, { draft: true, templateDirs, ...(config ? { workspace: config } : {}) });
    if (!composed.doc) return `无法生成：${shownName(file, config)} 无法读取为报告，请先修正预览页中列出的问题`;
    const bytes = await renderFormat(composed.doc, format, renderOptionsFor(config ? { workspace: config } : {}));
    return { name: outputName(composed.doc, format), bytes };
  }

  async function index(): Promise<string> {
    let config: WorkspaceConfig;
    try {
      config = workspaceConfig()!;
    } catch (error) {
      if (error instanceof UserError) return errorPage(`${CONFIG_FILE} 有错误`, error.message, {});
      throw error;
    }
    const entries: IndexEntry[] = [];
    const files = reportFiles();
    for (const [n, file] of files.entries()) {
      const checked = await checkFile(file);
      const data = checked.data as { agency?: { name?: unknown }; year?: unknown } | undefined;
      entries.push({
        href: `/report/${n}`,
        rel: shownName(file, config),
        ...(typeof data?.agency?.name === 'string' ? { agency: data.agency.name } : {}),
        ...(typeof data?.year === 'number' ? { year: data.year } : {}),
        usable: checked.usable,
        errors: checked.diagnostics.filter((d) => d.severity === 'error').length,
        warnings: checked.diagnostics.filter((d) => d.severity === 'warning').length,
      });
    }
    return indexPage(config.root, entries);
  }

  const send = (res: ServerResponse, status: number, type: string, body: string | Uint8Array, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, ...extra });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };
  const html = (res: ServerResponse, status: number, body: string) => send(res, status, 'text/html; charset=utf-8', body);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!loopbackHost(req.headers.host, port)) {
      send(res, 403, 'text/plain; charset=utf-8', '拒绝访问：预览服务只接受以 127.0.0.1 或 localhost 访问的请求。\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', '只支持 GET 请求。\n', { Allow: 'GET, HEAD' });
      return;
    }
    const pathname = new URL(req.url ?? '/', `http://${HOST}`).pathname;
    if (pathname === '/events') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      res.write(`retry: 500\nevent: hello\ndata: ${version}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (pathname === CLIENT_SCRIPT_ROUTE) return send(res, 200, 'text/javascript; charset=utf-8', CLIENT_SCRIPT);
    if (pathname === '/') return html(res, 200, target.kind === 'workspace' ? await index() : (await reportPage(0))!);
    const route = REPORT_ROUTE.exec(pathname);
    if (route) {
      const n = Number(route[1]);
      const format = route[2] as 'pdf' | 'docx' | undefined;
      if (!format) {
        const page = await reportPage(n);
        return page === undefined ? html(res, 404, notFoundPage()) : html(res, 200, page);
      }
      let file;
      try {
        file = await download(n, format);
      } catch (error) {
        // nianbao.yaml, a template or a font the clerk is editing: the message names it, as the page does
        if (error instanceof TemplateError || error instanceof UserError) return send(res, 409, 'text/plain; charset=utf-8', `无法生成：${error.message}\n`);
        throw error;
      }
      if (file === undefined) return html(res, 404, notFoundPage());
      if (typeof file === 'string') return send(res, 409, 'text/plain; charset=utf-8', `${file}\n`);
      const ascii = `draft.${format}`;
      return send(res, 200, CONTENT_TYPE[format], file.bytes, { 'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}` });
    }
    html(res, 404, notFoundPage());
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `nianbao 内部错误：${message}\n`);
      else res.end();
    });
  });
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      watcher.close();
      clearInterval(heartbeat);
      if (error.code === 'EADDRINUSE') reject(new UserError(`端口 ${options.port} 已被占用：请用 --port 换一个端口，或不写 --port 使用空闲端口`, 2));
      else if (error.code === 'EACCES') reject(new UserError(`没有权限使用端口 ${options.port}：请用 1024 以上的端口`, 2));
      else reject(error);
    });
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/`,
    port,
    close: async () => {
      watcher.close();
      clearInterval(heartbeat);
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
