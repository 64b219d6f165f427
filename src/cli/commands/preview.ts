/**
 * `nianbao preview <文件或工作区> [--port N] [--open] [--templates 目录]`: starts the live preview on
 * 127.0.0.1, prints its address, optionally opens the system browser, and runs until Ctrl+C.
 */
import { spawn } from 'node:child_process';
import { startPreview } from '../../preview/server.js';
import { UserError } from '../../diagnostics/errors.js';

const HELP = `用法：nianbao preview <报告文件或工作区文件夹> [--port N] [--open] [--templates 目录]

在本机（127.0.0.1）启动实时预览：显示报告的草稿网页（问题标在表格中并列出），工作区则先列出全部报告及校验状态。
修改并保存报告 YAML、nianbao.yaml 或模板后，页面在一秒内自动更新。页面上可下载当前状态的 PDF 和 Word 草稿。
  --port N          使用端口 N（默认：任一空闲端口）
  --open            用系统浏览器打开预览页面（没有浏览器时只打印地址）
  --templates 目录  县级模板目录（可重复）
按 Ctrl+C 停止。
`;

interface PreviewArgs {
  target?: string;
  port?: number;
  open: boolean;
  templateDirs: string[];
}

function parseArgs(args: string[]): PreviewArgs | 'help' {
  const parsed: PreviewArgs = { open: false, templateDirs: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      if (arg.includes('=')) return arg.slice(arg.indexOf('=') + 1);
      const next = args[++i];
      if (next === undefined) throw new UserError(`选项 ${arg} 需要一个值。\n\n${HELP}`, 2);
      return next;
    };
    if (arg === '-h' || arg === '--help') return 'help';
    else if (arg === '--open') parsed.open = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const text = value();
      const port = Number(text);
      if (!/^\d+$/.test(text) || port > 65535) throw new UserError(`--port 的值「${text}」无效：应为 0–65535 的整数`, 2);
      parsed.port = port;
    } else if (arg === '--templates' || arg.startsWith('--templates=')) parsed.templateDirs.push(value());
    else if (arg.startsWith('-')) throw new UserError(`未知选项「${arg}」。\n\n${HELP}`, 2);
    else if (parsed.target !== undefined) throw new UserError(`只能预览一份报告或一个工作区，多出了「${arg}」。\n\n${HELP}`, 2);
    else parsed.target = arg;
  }
  return parsed;
}

/** The system's "open this URL" command; a missing one (a server without a desktop) is not an error. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`未找到可用的浏览器，请手动打开 ${url}\n`));
    child.unref();
  } catch {
    process.stderr.write(`未找到可用的浏览器，请手动打开 ${url}\n`);
  }
}

export async function runPreview(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (parsed.target === undefined) throw new UserError(`请指定要预览的报告文件或工作区文件夹。\n\n${HELP}`, 2);
  const server = await startPreview({ target: parsed.target, ...(parsed.port !== undefined ? { port: parsed.port } : {}), templateDirs: parsed.templateDirs });
  process.stdout.write(`预览地址：${server.url}\n（修改并保存文件后页面自动更新；按 Ctrl+C 停止）\n`);
  if (parsed.open) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  process.stdout.write('预览已停止。\n');
  return 0;
}
