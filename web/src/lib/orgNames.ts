/**
 * Org names are full official names ("中共示范县城关街道幸福社区第一党支部"), unique in the tenant.
 * In a tree the ancestors are already on screen, so a node shows the part of its name after the
 * nearest ancestor's name (or that name's stem without the 委员会/党支部 suffix): "第一党支部".
 * The full name stays in the detail panel and in the node's title tooltip.
 */
const SUFFIXES = ['总支部委员会', '支部委员会', '工作委员会', '委员会', '党总支', '党支部', '党工委', '党委'];

function stemOf(name: string): string {
  for (const s of SUFFIXES) if (name.endsWith(s) && name.length > s.length + 1) return name.slice(0, -s.length);
  return name;
}

/** The short name of `name` under the given ancestor names (nearest first). */
export function shortName(name: string, ancestors: string[]): string {
  for (const a of ancestors) {
    for (const prefix of [a, stemOf(a)]) {
      const rest = name.slice(prefix.length);
      if (prefix.length >= 2 && name.startsWith(prefix) && rest.length >= 2 && !rest.startsWith('委')) return rest;
    }
  }
  return name;
}

/** A name without the tenant root's stem ("中共示范县"), for selects and table cells. */
export function compactName(name: string, rootName: string | undefined): string {
  if (!rootName) return name;
  const stem = stemOf(rootName);
  const rest = name.slice(stem.length);
  // "中共示范县委组织部" keeps its name: the remainder would start inside "县委".
  if (stem.length >= 2 && name.startsWith(stem) && rest.length >= 2 && !rest.startsWith('委')) return rest;
  return name;
}
