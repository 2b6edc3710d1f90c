import { createInterface } from 'node:readline';

/**
 * A secret from an environment variable, else asked on the terminal without echo. Never from a
 * command-line argument (it would show in the process list and the shell history).
 */
export async function askSecret(question: string, envName: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new Error(`请在环境变量 ${envName} 中提供口令，或在终端中运行以便输入。`);
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput?: (s: string) => void; output: NodeJS.WritableStream };
  process.stderr.write(question);
  out._writeToOutput = () => {}; // hide what is typed
  try {
    return await new Promise<string>((res) => rl.question('', (a) => res(a)));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
