/** `nianbao config` refuses what is not one report file with a Chinese message and exit 2, never an internal error. */
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

async function nianbao(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('nianbao config', () => {
  it('a folder is refused as a folder', async () => {
    const r = await nianbao(['config', 'examples/workspace/reports']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('「examples/workspace/reports」是文件夹');
    expect(r.stderr).not.toContain('内部错误');
  });

  it('a missing file and a report outside any workspace are named', async () => {
    expect((await nianbao(['config', 'examples/nope.yaml'])).stderr).toContain('文件不存在：examples/nope.yaml');
    const outside = await nianbao(['config', 'examples/reports/2021-渠沟镇人民政府.yaml']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('不在工作区中');
  });
});
