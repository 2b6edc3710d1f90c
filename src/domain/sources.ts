/**
 * Chinese names for the DOMAIN.md sections that rules and figures cite, so people see the regulation,
 * not the project's file name. The section stays in the data for traceability.
 */
const SECTIONS: [prefix: string, label: string][] = [
  ['§1', '《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）'],
  ['§2.1a', '期间计算参照《民法典》第二百零一、二百零二条；国务院办公厅节假日安排'],
  ['§2.2', '《中国共产党发展党员工作细则》及地方公示规定'],
  ['§2', '《中国共产党发展党员工作细则》'],
  ['§3.1', '《中国共产党支部工作条例（试行）》第四、五、二十条'],
  ['§3.2', '中办《关于党的基层组织任期的意见》、《中国共产党支部工作条例（试行）》第二十一条'],
  ['§3', '《中国共产党支部工作条例（试行）》'],
  ['§4', '《中国共产党党员教育管理工作条例》'],
  ['§5', '《中国共产党章程》第七条及党龄计算有关规定'],
  ['§6', '党内统计年报口径'],
  ['§7', 'GB/T 9704—2012《党政机关公文格式》'],
  ['§8', 'GB 11643—1999《公民身份号码》'],
  ['§9', '基层党建述职评议考核有关规定'],
  ['§10', '网格化服务管理有关规定（地方）'],
];

/** 'DOMAIN.md §3.4' → '《中国共产党支部工作条例（试行）》'; several sections joined with '；'. */
export function sourceLabel(source: string | null | undefined): string {
  if (!source) return '';
  const sections = source.match(/§\s*[\d.]+[a-z]?/g);
  if (!sections) return source;
  const labels = sections.map((raw) => {
    const sec = raw.replace(/\s/g, '');
    const hit = SECTIONS.find(([p]) => sec === p || sec.startsWith(`${p}.`) || (p.length > 2 && sec.startsWith(p)));
    return hit ? hit[1] : sec;
  });
  return [...new Set(labels)].join('；');
}
