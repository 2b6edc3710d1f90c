/** A plain progress bar on stderr (TTY) or occasional lines (CI logs). */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  let lastPrinted = -1;
  return {
    update(done: number, total: number) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (tty) {
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} (${pct}%)`);
      } else if (pct >= lastPrinted + 25 || done === total) {
        process.stderr.write(`${label} ${done}/${total} (${pct}%)\n`);
        lastPrinted = pct;
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
