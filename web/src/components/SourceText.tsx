import { Tooltip } from 'antd';
import { sourceLabel } from '../../../src/domain/sources';

/**
 * The regulation a rule, figure or setting cites, by name ("《中国共产党支部工作条例（试行）》"),
 * with the raw project reference ("DOMAIN.md §3.4") in a tooltip for whoever checks the rule.
 * A reference to the project's own design notes only (ARCHITECTURE.md) reads "本系统约定".
 */
export function sourceText(source: string | null | undefined): string {
  if (!source) return '';
  const label = sourceLabel(source);
  if (label !== source) return label;
  if (/^(ARCHITECTURE|STYLE|GLOSSARY)\.md/.test(source.trim())) return '本系统约定';
  return label;
}

export function SourceText({ source, className }: { source: string | null | undefined; className?: string }) {
  if (!source) return <span className={className}>—</span>;
  const text = sourceText(source);
  return (
    <Tooltip title={`出处：${source}`}>
      <span className={className} data-source={source} style={{ cursor: 'help', overflowWrap: 'anywhere' }}>{text}</span>
    </Tooltip>
  );
}
