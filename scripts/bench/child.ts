/** The processes the bench measures (the plugin, the naive importer), each a tsx script spoken to over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { ChildMessage, NaiveCounts, ParentMessage, ProcessUsage } from './protocol.js';

/** A measured child process (the plugin or the naive importer) spoken to over IPC. */
export class MeasuredChild {
  private readonly waiting: Array<(m: ChildMessage) => void> = [];
  private readonly exited: Promise<void>;

  constructor(readonly proc: ChildProcess) {
    proc.on('message', (m: ChildMessage) => this.waiting.shift()?.(m));
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
  }

  /** `profileDir`: write a V8 CPU profile of the process there when it exits. */
  static start(script: string, env: NodeJS.ProcessEnv, logFile: string, profileDir?: string): MeasuredChild {
    const log = createWriteStream(logFile, { flags: 'a' });
    const proc = fork(new URL(script, import.meta.url).pathname, [], {
      env,
      execArgv: [
        '--import',
        'tsx',
        '--expose-gc',
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    proc.stdout?.pipe(log);
    proc.stderr?.pipe(log);
    return new MeasuredChild(proc);
  }

  /** The next message from the child (fails when it exits first). */
  next(): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      void this.exited.then(() =>
        reject(new Error(`child ${this.proc.pid} exited (code ${this.proc.exitCode})`)),
      );
    });
  }

  async send(message: ParentMessage): Promise<ChildMessage> {
    const reply = this.next();
    this.proc.send(message);
    return reply;
  }

  async mark(): Promise<ProcessUsage> {
    const reply = await this.send({ type: 'mark' });
    if (reply.type !== 'mark') throw new Error(`unexpected ${reply.type}`);
    return reply.usage;
  }

  async run(budgetMs: number): Promise<{ counts: NaiveCounts; usage: ProcessUsage }> {
    const reply = await this.send({ type: 'run', budgetMs });
    if (reply.type !== 'done') throw new Error(`unexpected ${reply.type}`);
    return reply;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    this.proc.send({ type: 'stop' } satisfies ParentMessage);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}
