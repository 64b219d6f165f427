/**
 * The `nianbao` command: dispatches to one module per subcommand. Every user-facing line is Chinese;
 * no error reaches the user as a stack trace (see `fail`).
 */
import { CliError, printError } from './errors.js';

const USAGE = `用法：nianbao <命令> [参数]

命令：
  check <文件或文件夹…>   校验年度报告 YAML：表格结构、勾稽关系、年份与版本
  build [文件…] [--html] [--docx] [--pdf] [-o 目录]
                          生成 HTML、Word（docx）、PDF（未指定格式时三种都生成）
  init --format 2021 --year 2024 --agency 某某镇人民政府 [-o 文件]
                          生成一份全部填 0 的报告模板
  import <文件或文件夹…> [-o 文件|文件夹] [--workspace] [--format plain|json]
                          把已发布的报告（HTML、docx、PDF）导入为 YAML，数字照原文
  audit <文件或文件夹…> [-o 目录] [--format plain|csv|json] [--jobs N]
                          导入并校验一个地区已发布的全部报告，列出每份报告的问题


工作区（含 nianbao.yaml 的文件夹）：
  check [--format plain|github|json]
                          校验全部报告，并做跨年度、正文与表格、内容雷同等检查
  build [工作区文件夹] [--shard i/n] [--jobs N] [--html|--docx|--pdf] [--format plain|github|json]
                          用全部 CPU 核心生成全部报告和 index.html
  config <报告文件>       显示报告合并 nianbao.yaml 默认值后的实际取值
  init --workspace [文件夹]
                          创建示例工作区（两个乡镇、两个年度、县级模板、CI 配置）

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
    const { version } = await import('./version.js');
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

export { CliError };
