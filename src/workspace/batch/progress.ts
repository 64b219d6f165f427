/**
 * Batch build progress: a bar on a terminal (cli-progress), plain lines elsewhere — CI logs keep
 * every line and have no use for carriage returns. Progress goes to stderr; results go to stdout.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number): void;
  /** One report finished (`ok` false: it failed to render). */
  done(label: string, ok: boolean): void;
  stop(): void;
}

export function isInteractive(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && !process.env.CI;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (isInteractive(stream)) {
    const bar = new cliProgress.SingleBar(
      { stream, format: '生成中 [{bar}] {value}/{total} {label}', hideCursor: true, clearOnComplete: true, barsize: 30 },
      cliProgress.Presets.shades_classic,
    );
    return {
      start: (total) => bar.start(total, 0, { label: '' }),
      done: (label) => bar.increment(1, { label }),
      stop: () => bar.stop(),
    };
  }
  return linesProgress((line) => stream.write(line));
}

export function linesProgress(write: (line: string) => void): Progress {
  let total = 0;
  let count = 0;
  return {
    start: (n) => {
      total = n;
      count = 0;
    },
    done: (label, ok) => {
      count++;
      write(`[${count}/${total}] ${ok ? '已生成' : '生成失败'} ${label}\n`);
    },
    stop: () => {},
  };
}
