/**
 * Runs a real client (LibreOffice, poppler, …) and returns its output; a non-zero exit, a signal or a
 * timeout throws with the command line and the tail of stderr, so a failing check says what broke.
 */
import { execFile } from 'node:child_process';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** milliseconds; default 120 s */
  readonly timeout?: number;
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { env: options.env ?? process.env, cwd: options.cwd, timeout: options.timeout ?? 120_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const tail = String(stderr).split('\n').slice(-15).join('\n');
          reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${tail}`));
        } else {
          resolve({ stdout: String(stdout), stderr: String(stderr) });
        }
      },
    );
  });
}

/** Whether an executable is on PATH (real-client checks state their missing tool instead of crashing obscurely). */
export async function hasCommand(name: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}
