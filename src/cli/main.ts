/**
 * The `nianbao` command: dispatches to one module per subcommand. Every user-facing line is Chinese;
 * no error reaches the user as a stack trace (see `fail`).
 */
import { UserError } from '../diagnostics/errors.js';
import { printError } from './print-error.js';

const USAGE = `用法：nianbao <命令> [参数]

命令：
  check <文件或文件夹…>   校验年度报告 YAML：表格结构、勾稽关系、年份与版本
  build [文件…] [--html] [--docx] [--pdf] [-o 目录] [--draft]
                          生成 HTML、Word（docx）、PDF（未指定格式时三种都生成）
  init --format 2021 --year 2024 --agency 某某镇人民政府 [-o 文件]
                          生成一份全部填 0 的报告模板
  preview <文件或工作区> [--port N] [--open]
                          本机实时预览草稿（保存后自动更新），可下载 PDF、Word 草稿
  rules [--format json]   列出全部检查规则（编号、严重程度、范围、能否在 nianbao.yaml 中调整、说明与示例）
  import <文件或文件夹…> [-o 文件|文件夹] [--workspace] [--format plain|json]
                          把已发布的报告（HTML、docx、PDF）导入为 YAML，数字照原文
  audit <文件或文件夹…> [-o 目录] [--format plain|csv|json] [--jobs N]
                          导入并校验一个地区已发布的全部报告，列出每份报告的问题

工作区（含 nianbao.yaml 的文件夹）：
  check [--format plain|github|json]
                          校验全部报告，并做跨年度、正文与表格、内容雷同等检查
  build [工作区文件夹] [--shard i/n] [--jobs N] [--force] [--html|--docx|--pdf] [--draft] [--format plain|github|json]
                          用全部 CPU 核心生成全部报告和 index.html；未改动的报告沿用上次的文件（--force 全部重新生成）
  build --index-only      只写 index.html（列出全部报告，链接输出文件夹中已有的文件；用于合并 CI 分片）
  config <报告文件>       显示报告合并 nianbao.yaml 默认值后的实际取值
  init --workspace [文件夹]
                          创建示例工作区（两个乡镇、两个年度、县级模板、CI 配置），
                          并把本 nianbao 打包到 vendor/（锁定版本，不依赖 npm 仓库）
  upgrade [工作区文件夹]  把工作区升级到正在运行的 nianbao 版本（更新 vendor/ 与锁文件，补上新版本的工作区文件）

选项：
  -h, --help              显示本帮助
  -v, --version           显示版本号
`;

type Command = (args: string[]) => Promise<number>;

// Each command's module is imported only when run: `check` must not load the renderers' libraries.
const COMMANDS: Record<string, Command> = {
  check: async (args) => (await import('./commands/check.js')).runCheck(args),
  build: async (args) => (await import('./commands/build.js')).runBuild(args),
  init: async (args) => (await import('./commands/init.js')).runInit(args),
  config: async (args) => (await import('./commands/config.js')).runConfig(args),
  preview: async (args) => (await import('./commands/preview.js')).runPreview(args),
  rules: async (args) => (await import('./commands/rules.js')).runRules(args),
  upgrade: async (args) => (await import('./commands/upgrade.js')).runUpgrade(args),
  import: async (args) => (await import('./commands/import.js')).runImport(args),
  audit: async (args) => (await import('./commands/audit.js')).runAudit(args),
};

/** Runs the command line and returns the exit code: 0 success, 1 report errors, 2 unusable input or usage. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '-v' || name === '--version') {
    const { version } = await import('../version.js');
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`未知命令「${name}」。\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    return printError(error);
  }
}

export { UserError };
